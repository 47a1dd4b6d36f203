/**
 * rules §9 Themes: keyword tagging of comments and emerging themes.
 */
import { assertValidInstant, quarterOf } from './calendar';
import { scoreCategory } from './score';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { assertSingleStream, THEMES, type QuarterKey, type Stream, type Theme } from './types';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A keyword as a case-insensitive whole-word pattern: not preceded or followed by a letter,
 * digit or underscore (Unicode-aware), so "slow" matches "Slow!" but not "slowly", and "api"
 * does not match "capital". Whitespace inside a phrase matches any run of whitespace; a
 * straight or curly apostrophe matches either.
 */
export function keywordPattern(keyword: string): RegExp {
  const body = keyword
    .trim()
    .split(/\s+/)
    .map((word) => escapeRegExp(word).replace(/['\u2019]/g, "['\u2019]"))
    .join('\\s+');
  if (body === '') throw new Error('A theme keyword must not be empty');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'iu');
}

const patternCache = new Map<string, RegExp>();
/** The same, by the keyword list itself: a million comments tagged with one program's settings do not join its keywords a million times. */
const patternsByList = new WeakMap<readonly string[], RegExp>();

/**
 * One pattern for all of a theme's keywords (the alternation of their whole-word patterns, so it
 * matches exactly when one of them does), built once per keyword list: a comment is tested once
 * per theme, which keeps tagging a million imported comments fast.
 */
function themePattern(keywords: readonly string[]): RegExp | null {
  if (!keywords.length) return null;
  let pattern = patternsByList.get(keywords);
  if (pattern !== undefined) return pattern;
  const key = keywords.join('\u0000');
  pattern = patternCache.get(key);
  if (pattern === undefined) {
    pattern = new RegExp(keywords.map((keyword) => `(?:${keywordPattern(keyword).source})`).join('|'), 'iu');
    patternCache.set(key, pattern);
  }
  patternsByList.set(keywords, pattern);
  return pattern;
}

/** Themes of a comment in canonical order (a comment may have several, or none). */
export function tagThemes(comment: string | null, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Theme[] {
  if (comment === null || comment.trim() === '') return [];
  return THEMES.filter((theme) => themePattern(settings.themeKeywords[theme] ?? [])?.test(comment) ?? false);
}

export interface ThemedResponse {
  readonly stream: Stream;
  readonly score: number;
  readonly comment: string | null;
  readonly respondedAt: Date;
}

export interface ThemeQuarterCount {
  readonly quarter: QuarterKey;
  readonly theme: Theme;
  /** Detractor comments carrying the theme in that quarter (each comment counts once). */
  readonly detractorComments: number;
  readonly emerging: boolean;
}

/**
 * Detractor comments per theme and calendar quarter (UTC) for one stream, with the emerging
 * flag (≥ 5 by default). Sorted by quarter, then canonical theme order. Throws
 * MixedStreamError for responses of another stream.
 */
export function themeCountsByQuarter(stream: Stream, responses: readonly ThemedResponse[], settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): ThemeQuarterCount[] {
  assertSingleStream(stream, responses);
  const counts = new Map<QuarterKey, Map<Theme, number>>();
  for (const r of responses) {
    assertValidInstant(r.respondedAt, 'respondedAt');
    if (scoreCategory(r.score) !== 'detractor') continue;
    const themes = tagThemes(r.comment, settings);
    if (themes.length === 0) continue;
    const quarter = quarterOf(r.respondedAt);
    const perTheme = counts.get(quarter) ?? new Map<Theme, number>();
    for (const theme of themes) perTheme.set(theme, (perTheme.get(theme) ?? 0) + 1);
    counts.set(quarter, perTheme);
  }
  const result: ThemeQuarterCount[] = [];
  for (const quarter of [...counts.keys()].sort()) {
    const perTheme = counts.get(quarter) as Map<Theme, number>;
    for (const theme of THEMES) {
      const n = perTheme.get(theme);
      if (n === undefined) continue;
      result.push({
        quarter,
        theme,
        detractorComments: n,
        emerging: n >= settings.emergingThemeMinDetractorComments,
      });
    }
  }
  return result;
}

/** Only the emerging (quarter, theme) pairs of one stream. */
export function emergingThemes(stream: Stream, responses: readonly ThemedResponse[], settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): ThemeQuarterCount[] {
  return themeCountsByQuarter(stream, responses, settings).filter((c) => c.emerging);
}
