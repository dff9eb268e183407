/**
 * A minimal XML writer for Query-protocol responses (no XML library). Fragments are branded
 * strings whose text is already escaped, so a value can never be escaped twice or not at all.
 */

declare const XML_BRAND: unique symbol;

/** An escaped XML fragment. */
export type Xml = string & { readonly [XML_BRAND]: true };

/** A scalar as it appears in element text: dates as ISO-8601 with milliseconds (`…T13:25:07.739Z`). */
export type XmlScalar = string | number | boolean | Date;

/** Escapes the five XML special characters. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function scalarText(value: XmlScalar): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The empty fragment. */
const EMPTY_XML = '' as Xml;

/** Concatenates fragments; `undefined`/`false` parts are skipped. */
export function xml(...parts: ReadonlyArray<Xml | undefined | false>): Xml {
  return parts.filter((part): part is Xml => typeof part === 'string').join('') as Xml;
}

/** `<name>children</name>`, or `<name/>` when there are no children. */
export function element(name: string, ...children: ReadonlyArray<Xml | undefined | false>): Xml {
  const inner = xml(...children);
  return (inner.length === 0 ? `<${name}/>` : `<${name}>${inner}</${name}>`) as Xml;
}

/** `<name>value</name>`; nothing at all when the value is undefined or null (AWS omits unset members). */
export function leaf(name: string, value: XmlScalar | null | undefined): Xml {
  if (value === undefined || value === null) return EMPTY_XML;
  return `<${name}>${escapeXml(scalarText(value))}</${name}>` as Xml;
}

/**
 * A list wrapped in `<name>` with one `<itemName>` per item (EC2 uses `item`, ELBv2 `member`);
 * `<name/>` for an empty list.
 */
export function list<T>(name: string, itemName: string, items: readonly T[], render: (item: T) => Xml): Xml {
  return element(name, ...items.map((item) => element(itemName, render(item))));
}

/** A list of scalars: `<name><itemName>v</itemName>…</name>`. */
export function scalarList(name: string, itemName: string, values: readonly XmlScalar[]): Xml {
  return element(name, ...values.map((value) => leaf(itemName, value)));
}
