import {
  DOMImplementation,
  DOMParser,
  XMLSerializer,
  type Document,
  type Element,
} from '@xmldom/xmldom';

/** Namespaces of the UnifiedService messages (INTERFACE.md §2). */
export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  uui: 'http://vraa.gov.lv/xmlschemas/div/uui/2011/11',
  div: 'http://ivis.eps.gov.lv/XMLSchemas/100001/DIV/v1-0',
  arr: 'http://schemas.microsoft.com/2003/10/Serialization/Arrays',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
  xop: 'http://www.w3.org/2004/08/xop/include',
} as const;

const PREFIX: Record<string, string> = Object.fromEntries(
  Object.entries(NS).map(([p, uri]) => [uri, p]),
);

/** `wsa:Action` of an operation; the reply adds `Response` (WSDL portType). */
export const actionOf = (operation: string): string =>
  `http://vraa.gov.lv/div/uui/2011/11/UnifiedServiceInterface/${operation}`;

/** A child: an element, text, or a spec; null/undefined children are skipped. */
export type XNode = Element | string | number | boolean | null | undefined | Spec;
/** `[namespace, local name, children, attributes]`: a tree the DOM builds (it does the escaping). */
export type Spec = [ns: string, name: string, children?: XNode[], attrs?: Record<string, string>];

/** Builds an element tree in `doc` from nested specs. */
export function build(doc: Document, [ns, name, kids, attrs]: Spec): Element {
  const el = doc.createElementNS(ns, `${PREFIX[ns] ?? 'x'}:${name}`);
  for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, v);
  for (const c of kids ?? []) {
    if (c === null || c === undefined) continue;
    if (Array.isArray(c)) el.appendChild(build(doc, c));
    else if (typeof c === 'object') el.appendChild(doc.importNode(c, true));
    else el.appendChild(doc.createTextNode(String(c)));
  }
  return el;
}

/** A new document whose root is built from the spec. */
export function newDocument(spec: Spec): Document {
  const doc = new DOMImplementation().createDocument(
    spec[0],
    `${PREFIX[spec[0]]}:${spec[1]}`,
    null,
  );
  const built = build(doc, spec);
  doc.replaceChild(built, doc.documentElement!);
  return doc;
}

export const serialize = (node: Document | Element): string =>
  new XMLSerializer().serializeToString(node);

/** Parses XML, refusing DOCTYPEs (no entity expansion from a peer). */
export function parseXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('DOCTYPE is not allowed');
  return new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') throw new Error(msg);
    },
  }).parseFromString(xml, 'text/xml');
}

/** Child elements of `el` in namespace `ns` with local name `name`. */
export function children(el: Element, ns: string, name: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name)
      out.push(n as Element);
  return out;
}
export const child = (el: Element, ns: string, name: string): Element | null =>
  children(el, ns, name)[0] ?? null;
export const text = (el: Element | null): string | null => (el ? (el.textContent ?? '') : null);
export const childText = (el: Element, ns: string, name: string): string | null =>
  text(child(el, ns, name));
/** The first descendant in `ns` named `name` (depth first). */
export function descendant(el: Element | Document, ns: string, name: string): Element | null {
  const found = el.getElementsByTagNameNS(ns, name);
  return found.length ? found[0] : null;
}
