/** Wording of criteria: built-in keys are translated, custom criteria carry their own text. */
import { BUILTIN_CRITERIA, type BuiltinCriterion, type Criterion } from '../../domain';
import type { Translator } from '../i18n';
import '../i18n/methodStrings';

const isBuiltin = (key: string): key is BuiltinCriterion => (BUILTIN_CRITERIA as readonly string[]).includes(key);

export function criterionLabel(c: Pick<Criterion, 'key' | 'label'>, t: Translator): string {
  if (c.label) return c.label;
  return isBuiltin(c.key) ? t(`criterion.${c.key}`) : c.key;
}

export function criterionGuidance(c: Pick<Criterion, 'key' | 'guidance'>, t: Translator): string | null {
  if (c.guidance) return c.guidance;
  return isBuiltin(c.key) ? t(`criterion.${c.key}.guidance`) : null;
}
