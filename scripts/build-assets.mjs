// Placeholder: front-end assets (design system CSS) are compiled here.
