# syntax=docker/dockerfile:1
# One image for the API/UI (node dist/src/main.js) and the Temporal worker (node dist/src/worker.js).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
# Chromium prints PDFs; without fonts it prints no text at all (DejaVu covers Latvian and Greek);
# poppler-utils gives pdftotext/pdffonts for checks; libxml2-utils gives xmllint, which validates
# every pain.001 payment file against the ISO 20022 schema before it is offered (src/payments).
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core poppler-utils libxml2-utils ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Production: the app refuses to start until SESSION_SECRET, OIDC_CLIENT_SECRET and SEAL_PASSPHRASE
# are set to secrets of your own and the real registers and e-adrese are configured. The
# development identity provider is off here; only a demonstration (DEMO_MODE=true, as
# docker-compose.yml sets) may turn it on, and then every page says so.
ENV NODE_ENV=production \
    DEV_IDP_ENABLED=false \
    PORT=3000 \
    CHROMIUM_PATH=/usr/bin/chromium \
    DATA_DIR=/app/var
WORKDIR /app
# Views, locales and document templates are read from the source tree at run time (view root is src/).
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /app/var && chown node:node /app/var
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
