/** Types of import-table.js, for the TypeScript tests that read the table. */
export interface ImportRow {
  about: string;
  folders: readonly string[];
  packages: readonly string[];
}
export declare const IMPORT_TABLE: Record<string, ImportRow>;
export declare const TEST_FILES: readonly string[];
export declare const TEST_EXTRAS: { folders: readonly string[]; packages: readonly string[] };
