import { z } from 'zod';

/**
 * Rules of our own (beyond zod's types and ranges). The issue carries the rule's key; the words,
 * in the IT staff's language, are in shared/admin/locales under `config.<key>`.
 */
export const CONFIG_RULES = [
  'idFormat',
  'stepRepeated',
  'reasonsAfterCsi',
  'startWithQuestion',
  'defaultNotEnabled',
  'unknownTimeZone',
  'languageRepeated',
  'blankText',
  'hiddenCharacters',
  'absolutePath',
  'tokenFormat',
  'guardLongerThanThanks',
  'settleLongerThanIdle',
  'tokenOneOf',
  'endpointScheme',
  'boxRepeated',
  'hexId',
  'byteKey',
  'answersPerButton',
  'dayRepeated',
  'openBeforeClose',
  'signKeyWithCert',
  'oneSigner',
  'reasonRepeated',
  'reasonWithoutWords',
  'languageFirst',
  'languageStepOneLanguage',
  'boxTooFewForLanguages',
] as const;
export type ConfigRule = (typeof CONFIG_RULES)[number];
export const broken = (rule: ConfigRule, path?: (string | number)[]) => ({
  code: 'custom' as const,
  message: rule,
  params: { rule },
  path,
});

export const idSchema = z.string().refine((id) => /^[A-Za-z0-9._-]{1,64}$/.test(id), broken('idFormat'));
