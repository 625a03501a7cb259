import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, describeIssues, PultConfigSchema } from './config.js';

const problems = (input: unknown): string[] => {
  const parsed = PultConfigSchema.safeParse(input);
  return parsed.success ? [] : describeIssues(parsed.error);
};

describe('config schema', () => {
  it('the demo default is valid and gets the documented timeouts', () => {
    const config = PultConfigSchema.parse(DEMO_CONFIG);
    expect(config.timeouts).toEqual({ idleMs: 20_000, thanksMs: 3_000, guardMs: 2_000, settleMs: 400 });
    expect(config.timeZone).toBe('Europe/Moscow');
  });

  it('names the field and the problem', () => {
    expect(problems({ ...DEMO_CONFIG, flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 9 }] })).toEqual([
      'flow[1].threshold: Too big: expected number to be <=4',
    ]);
    expect(problems({ ...DEMO_CONFIG, language: { default: 'en', enabled: ['ru'] } })).toEqual([
      'language.default: defaultNotEnabled',
    ]);
    expect(problems({ ...DEMO_CONFIG, window: { id: 'окно 5', label: '5' } })[0]).toMatch(/^window\.id: /);
    expect(problems({ ...DEMO_CONFIG, timeZone: 'Mars/Olympus' })[0]).toBe('timeZone: unknownTimeZone');
    expect(problems({ ...DEMO_CONFIG, colour: 'red' })[0]).toMatch(/colour/);
  });

  it('refuses flows that cannot work', () => {
    expect(problems({ ...DEMO_CONFIG, flow: [{ type: 'reasons_if_low' }] }).join()).toMatch(/flow\[0\]: reasonsAfterCsi/);
    expect(problems({ ...DEMO_CONFIG, flow: [{ type: 'nps' }, { type: 'nps' }] }).join()).toMatch(/^flow: stepRepeated/);
    expect(problems({ ...DEMO_CONFIG, flow: [] })[0]).toMatch(/^flow: /);
  });

  it('refuses settings that would silently misfile or hide real ratings', () => {
    expect(problems({ ...DEMO_CONFIG, timeouts: { thanksMs: 1_000, guardMs: 2_000 } })).toEqual([
      'timeouts.guardMs: guardLongerThanThanks',
    ]);
    expect(problems({ ...DEMO_CONFIG, timeouts: { idleMs: 1_000, settleMs: 1_500 } })).toEqual([
      'timeouts.settleMs: settleLongerThanIdle',
    ]);
    expect(problems({ ...DEMO_CONFIG, language: { default: 'ru', enabled: ['ru', 'en', 'ru'] } })).toEqual([
      'language.enabled: languageRepeated',
    ]);
    expect(problems({ ...DEMO_CONFIG, window: { id: 'w5', label: '   ' } })).toEqual(['window.label: blankText']);
    expect(problems({ ...DEMO_CONFIG, office: { id: 'o', name: '' } })).toEqual(['office.name: blankText']);
  });

  it('shown text refuses control and bidi-override characters and lone surrogates', () => {
    expect(problems({ ...DEMO_CONFIG, window: { id: 'w5', label: '\u202e\u0000x' } })).toEqual([
      'window.label: hiddenCharacters',
    ]);
    expect(problems({ ...DEMO_CONFIG, window: { id: 'w5', label: 'Окно\u202e5' } })).toEqual(['window.label: hiddenCharacters']);
    expect(problems({ ...DEMO_CONFIG, office: { id: 'o', name: 'МФЦ \ud800' } })).toEqual(['office.name: hiddenCharacters']);
    expect(problems({ ...DEMO_CONFIG, office: { id: 'o', name: 'МФЦ\nЦентр' } })).toEqual(['office.name: hiddenCharacters']);
    // Ordinary text in every script the console speaks, emoji pairs included, is fine.
    expect(problems({ ...DEMO_CONFIG, office: { id: 'o', name: 'МФЦ «Мои Документы» — Oʻzbek, Тоҷикӣ 👍' } })).toEqual([]);
  });

  it('export folders are absolute paths without ..', () => {
    const folders = (exportFolders: string[]) => problems({ ...DEMO_CONFIG, supervisor: { exportFolders } });
    expect(folders(['/media/usb', 'E:\\', 'D:/exports', '\\\\server\\share'])).toEqual([]);
    expect(folders(['../..'])).toEqual(['supervisor.exportFolders[0]: absolutePath']);
    expect(folders(['exports'])).toEqual(['supervisor.exportFolders[0]: absolutePath']);
    expect(folders(['/media/../etc'])).toEqual(['supervisor.exportFolders[0]: absolutePath']);
  });

  it('a token is printable ASCII', () => {
    const token = (value: string) => problems({ ...DEMO_CONFIG, sync: { endpoint: 'http://c/', token: value } });
    expect(token('x'.repeat(43))).toEqual([]);
    expect(token(`${'x'.repeat(20)}\u0000`)).toEqual(['sync.token: tokenFormat']);
    expect(token(`${'x'.repeat(20)} y`)).toEqual(['sync.token: tokenFormat']);
  });

  it('a sync section needs an http(s) endpoint and exactly one of token and tokenFile', () => {
    const sync = (value: unknown) => problems({ ...DEMO_CONFIG, sync: value });
    expect(sync({ endpoint: 'http://collector.local:7400/', token: 'x'.repeat(43) })).toEqual([]);
    expect(PultConfigSchema.parse({ ...DEMO_CONFIG, sync: { endpoint: 'https://c/', tokenFile: 't' } }).sync).toMatchObject({
      intervalMs: 10_000,
      timeoutMs: 30_000,
    });
    expect(sync({ endpoint: 'http://c/' })).toEqual(['sync: tokenOneOf']);
    expect(sync({ endpoint: 'http://c/', token: 'x'.repeat(43), tokenFile: 't' })).toEqual(['sync: tokenOneOf']);
    expect(sync({ endpoint: 'ftp://c/', tokenFile: 't' })).toEqual(['sync.endpoint: endpointScheme']);
    expect(sync({ endpoint: 'http://c/', tokenFile: 't', intervalMs: 50 })[0]).toMatch(/^sync\.intervalMs: /);
  });

  it('the mkgu section: its sender and signer are named when wrong', () => {
    const base = { vendorId: 'v', authorityId: '1', serviceId: '1', okato: '45286560000' };
    const mkgu = (extra: Record<string, unknown>) => problems({ ...DEMO_CONFIG, mkgu: { ...base, ...extra } });
    expect(
      mkgu({ endpoint: 'https://vashkontrol.example/rates', signKey: '/etc/pult/k.pem', signCert: '/etc/pult/c.pem' }),
    ).toEqual([]);
    expect(mkgu({ signKey: '/etc/pult/k.pem' })).toEqual(['mkgu.signCert: signKeyWithCert']);
    expect(mkgu({ signKey: '/k.pem', signCert: '/c.pem', signCommand: ['cryptcp'] })).toEqual(['mkgu.signCommand: oneSigner']);
    expect(mkgu({ signKey: 'k.pem', signCert: '/c.pem' })).toEqual(['mkgu.signKey: absolutePath']);
    expect(mkgu({ endpoint: 'ftp://x/' })).toEqual(['mkgu.endpoint: endpointScheme']);
    expect(mkgu({ signCommand: [] })[0]).toMatch(/^mkgu\.signCommand: /);
    expect(mkgu({ packetForms: 0 })[0]).toMatch(/^mkgu\.packetForms: /);
  });
});

describe('configured reasons and the comment step', () => {
  const flowWith = (reasons: unknown[]) =>
    problems({
      ...DEMO_CONFIG,
      language: { default: 'ru', enabled: ['ru', 'en'] },
      flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3, reasons }],
    });

  it('our reasons need no words; the office’s own need them in every enabled language; each once, at most nine', () => {
    expect(flowWith([{ id: 'waiting_time' }, { id: 'parking', label: { ru: 'Парковка', en: 'Parking' } }])).toEqual([]);
    expect(flowWith([{ id: 'parking', label: { ru: 'Парковка' } }])).toEqual(['flow[1].reasons[0].label.en: reasonWithoutWords']);
    expect(flowWith([{ id: 'other' }, { id: 'other' }])).toEqual(['flow[1].reasons: reasonRepeated']);
    expect(flowWith([{ id: 'Parking!' }])[0]).toMatch(/^flow\[1\]\.reasons\[0\]\.id: /);
    expect(flowWith(Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, label: { ru: 'x', en: 'x' } })))[0]).toMatch(
      /^flow\[1\]\.reasons: /,
    );
    expect(flowWith([{ id: 'other', label: { ru: '\u202Eдругое', en: 'Other' } }])).toEqual([
      'flow[1].reasons[0].label.ru: hiddenCharacters',
    ]);
  });

  it('the comment step is never first', () => {
    expect(problems({ ...DEMO_CONFIG, flow: [{ type: 'comment' }, { type: 'csi' }] })).toEqual(['flow: startWithQuestion']);
    expect(problems({ ...DEMO_CONFIG, flow: [{ type: 'csi' }, { type: 'comment' }] })).toEqual([]);
  });

  it('the language screen is first, before a question, with two languages and a box button for each', () => {
    const box = (buttons: number) => ({ id: 'b', port: { path: '/dev/ttyUSB0' }, buttons });
    const withLanguage = { ...DEMO_CONFIG, flow: [{ type: 'language' as const }, { type: 'csi' as const }] };
    expect(problems({ ...withLanguage, boxes: [box(5)] })).toEqual([]);
    expect(problems({ ...DEMO_CONFIG, flow: [{ type: 'csi' }, { type: 'language' }] })).toEqual(['flow[1]: languageFirst']);
    expect(problems({ ...DEMO_CONFIG, flow: [{ type: 'language' }, { type: 'comment' }] })).toEqual(['flow: startWithQuestion']);
    expect(problems({ ...withLanguage, language: { default: 'ru', enabled: ['ru'] } })).toEqual([
      'language.enabled: languageStepOneLanguage',
    ]);
    expect(problems({ ...withLanguage, boxes: [box(5), box(3)].map((b, i) => ({ ...b, id: `b${i}` })) })).toEqual([
      'boxes[1].buttons: boxTooFewForLanguages',
    ]);
  });
});
