/**
 * Board filtering, kept cheap for 10,000 ideas: each idea's searchable text
 * is normalised once per data change (index), then every keystroke is a
 * substring test per query word and idea: every word must occur, in any order
 * ("rullestol pute" finds "Rullestolen trenger en ny pute"). A word may also
 * be the idea's receipt code, typed any way ("k7f3", "K7-F3": rules/receipt.ts),
 * so an anonymous bearer finds their idea and its answer.
 */
import { readReceiptCode, receiptCode, type ChangeKind, type Idea, type IdeaStatus } from '../domain';

const FOLD: Record<string, string> = { æ: 'ae', ø: 'o', å: 'a', ß: 'ss', œ: 'oe', đ: 'd', ł: 'l' };

/** Lowercase, strip diacritics, fold Nordic letters: "Ærlig Øl på Åsen" → "aerlig ol pa asen". */
export function normalizeForSearch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[æøåßœđł]/g, (c) => FOLD[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface IndexedIdea {
  idea: Idea;
  haystack: string;
  code: string;
}

export function indexIdeas(ideas: readonly Idea[]): IndexedIdea[] {
  return ideas.map((idea) => ({
    idea,
    haystack: normalizeForSearch([idea.impossibleNow, idea.wouldChange ?? '', idea.bearerName ?? ''].join('\n')),
    code: receiptCode(idea.id),
  }));
}

export interface BoardFilter {
  status: IdeaStatus | 'all';
  kind: ChangeKind | 'all';
  query: string;
}

export function filterIdeas(index: readonly IndexedIdea[], filter: BoardFilter): Idea[] {
  const words = normalizeForSearch(filter.query)
    .split(' ')
    .filter(Boolean)
    .map((word) => ({ word, code: readReceiptCode(word) }));
  const out: Idea[] = [];
  for (const { idea, haystack, code } of index) {
    if (filter.status !== 'all' && idea.status !== filter.status) continue;
    if (filter.kind !== 'all' && idea.kind !== filter.kind) continue;
    if (!words.every((w) => haystack.includes(w.word) || w.code === code)) continue;
    out.push(idea);
  }
  return out;
}
