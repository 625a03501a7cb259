import { createStore, type StoreApi } from 'zustand/vanilla';
import { createFlow, type Flow, type FlowInput, type FlowState } from '../shared/flow.js';
import type { ConsoleSetup, PultApi } from '../shared/contract.js';

export interface ConsoleStoreState {
  phase: 'loading' | 'ready' | 'unavailable';
  setup: ConsoleSetup | null;
  flow: FlowState | null;
  /** An answer is on its way to disk; further presses wait for it. */
  saving: boolean;
  /** The last answer could not be stored: the screen stays, the applicant is asked to tap again. */
  saveFailed: boolean;
  init(): Promise<void>;
  dispatch(input: FlowInput): Promise<void>;
}

export type ConsoleStore = StoreApi<ConsoleStoreState>;

/** The applicant console's state: the shared flow machine plus "is it saved yet". */
export function createConsoleStore(api: PultApi, now: () => number = Date.now): ConsoleStore {
  let machine: Flow | null = null;

  return createStore<ConsoleStoreState>()((set, get) => ({
    phase: 'loading',
    setup: null,
    flow: null,
    saving: false,
    saveFailed: false,

    async init() {
      const result = await api.getConsole({});
      if (!result.ok) {
        set({ phase: 'unavailable' });
        return;
      }
      machine = createFlow(result.value, () => crypto.randomUUID());
      set({ phase: 'ready', setup: result.value, flow: machine.initial(now()) });
    },

    async dispatch(input) {
      const { flow, saving } = get();
      if (!machine || !flow || saving) return;
      const { state, record } = machine.step(flow, input, now());
      if (!record) {
        if (state !== flow) set({ flow: state });
        return;
      }
      set({ saving: true });
      const result = await api.recordAnswer(record);
      // Only a stored answer moves the screen on: nothing is shown as saved that is not on disk.
      set(result.ok ? { saving: false, saveFailed: false, flow: state } : { saving: false, saveFailed: true });
    },
  }));
}
