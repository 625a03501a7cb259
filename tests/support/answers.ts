import { randomUUID } from 'node:crypto';
import type { AnswerInput } from '../../shared/answer.js';

export const csiAnswer = (value: number, extra: Partial<AnswerInput> = {}): AnswerInput =>
  ({ question: 'csi', value, responseId: randomUUID(), locale: 'ru', source: 'touch', ...extra }) as AnswerInput;
