import { readFileSync } from 'node:fs';
import { fromRoot } from '../platform/paths';
import { DOCUMENT_LANGUAGES, type DocumentLanguage } from './templates/template-registry';

type Tree = { [k: string]: string | Tree };

/**
 * Lookup in this area's own namespace (src/documents/locales/<lang>/documents.json), used for the
 * texts printed into PDFs and for error messages. The application-wide I18nService reads the same
 * files for views.
 */
export class DocumentsI18n {
  private readonly trees: Record<DocumentLanguage, Tree>;

  constructor(dir = fromRoot('src', 'documents', 'locales')) {
    this.trees = Object.fromEntries(
      DOCUMENT_LANGUAGES.map((l) => [
        l,
        JSON.parse(readFileSync(`${dir}/${l}/documents.json`, 'utf8')) as Tree,
      ]),
    ) as Record<DocumentLanguage, Tree>;
  }

  /** `key` may carry the namespace prefix (`documents:verify.title`). Missing keys return the key. */
  t(lang: DocumentLanguage, key: string, vars: Record<string, string | number> = {}): string {
    const path = key.replace(/^documents:/, '').split('.');
    let node: string | Tree | undefined = this.trees[lang];
    for (const p of path) node = typeof node === 'object' ? node[p] : undefined;
    if (typeof node !== 'string') return key;
    return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, v: string) =>
      v in vars ? String(vars[v]) : `{{${v}}}`,
    );
  }
}
