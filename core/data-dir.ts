import envPaths from 'env-paths';

/** $PULT_DATA_DIR, else the platform's per-user data folder (e.g. ~/.local/share/pult, %APPDATA%\pult\Data). */
export function defaultDataDir(env: Record<string, string | undefined>): string {
  return env.PULT_DATA_DIR || envPaths('pult', { suffix: '' }).data;
}
