/** Built from the locale files by vite.config.ts: each language's name in its own words. */
declare module 'virtual:language-names' {
  // An ambient module cannot import by a relative path, so the type is referred to in place.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  const names: Record<import('../shared/vocabulary.js').Language, string>;
  export default names;
}
