import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LoomError } from '../../kernel/errors.js';

/** An element as fast-xml-parser gives it: child elements by tag, attributes as `@_name`, text as `#text`. */
export type Element = { readonly [name: string]: unknown };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
});

/** Parse XML text into elements, or throw LoomError `mirth.export.not-xml` naming the line. */
export function parseXml(text: string, file: string): Element {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new LoomError('mirth.export.not-xml', `${file} is not well-formed XML: ${valid.err.msg}`, {
      location: `${file}:${valid.err.line}`,
      hint: 'export the channels again from the Mirth Administrator (Channels → Export Channel / Export All Channels)',
    });
  }
  return parser.parse(text) as Element;
}

function isElement(value: unknown): value is Element {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child elements named `name` (none, one or many). */
export function children(parent: Element | undefined, name: string): Element[] {
  const value = parent?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((v) => (isElement(v) ? v : { '#text': typeof v === 'string' ? v : '' }));
}

/** The first child element named `name`. */
export function child(parent: Element | undefined, name: string): Element | undefined {
  return children(parent, name)[0];
}

/** The text of the child `name` ('' when absent or empty). */
export function text(parent: Element | undefined, name: string): string {
  const value = parent?.[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (isElement(first) && typeof first['#text'] === 'string') return first['#text'];
  return '';
}

/** An attribute of the element ('' when absent). */
export function attr(element: Element | undefined, name: string): string {
  const value = element?.[`@_${name}`];
  return typeof value === 'string' ? value : '';
}

/** Child element tags in document order (attributes and text excluded). */
export function childTags(element: Element | undefined): string[] {
  return element ? Object.keys(element).filter((k) => !k.startsWith('@_') && k !== '#text') : [];
}
