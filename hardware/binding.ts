import type { BindingInterface } from '@serialport/bindings-interface';

/** A serial port binding: the OS's, @serialport/binding-mock, or anything with the same interface. */
export type SerialBinding = BindingInterface;

/**
 * The operating system's serial binding. Loaded only when a box is configured or a port command
 * runs: a console without boxes never loads the native module. Tests pass @serialport/binding-mock
 * or real pseudo-terminals instead (the driver takes the binding as a parameter).
 */
export async function systemBinding(): Promise<BindingInterface> {
  const { autoDetect } = await import('@serialport/bindings-cpp');
  return autoDetect();
}
