/**
 * When may a waiting app version take over (reload the page)?
 *
 * - Never while any form holds uncommitted input: a reload must not throw away
 *   what a person is typing.
 * - The person pressed "Reload": apply now if nothing is dirty; otherwise wait
 *   and tell them to save or clear the form first.
 * - The app goes to the background (tablet locked, another app, tab hidden) or
 *   starts cold with a version already waiting: apply silently if nothing is
 *   dirty. A shared tablet is thus never stranded on an old version, and nobody
 *   sees a reload in front of them.
 */
export type UpdateTrigger = 'user' | 'hidden' | 'coldStart';
export type UpdateDecision = 'apply' | 'waitForInput' | 'ignore';

export function decideUpdate(input: { waiting: boolean; dirty: boolean; trigger: UpdateTrigger }): UpdateDecision {
  if (!input.waiting) return 'ignore';
  if (input.dirty) return input.trigger === 'user' ? 'waitForInput' : 'ignore';
  return 'apply';
}
