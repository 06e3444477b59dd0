/** A negation just before a match, in the same clause, cancels it: "I would never hurt myself". */
export const negationPattern =
  /\b(?:not|never|no|don'?t|doesn'?t|didn'?t|won'?t|wouldn'?t|isn'?t|aren'?t|wasn'?t|can'?t|cannot|stop(?:ped)?|quit)\b/i;

/**
 * Words that put a sentence in a helping, reporting, educational or fictional frame: the same phrase there
 * is less likely to be what it says, so its weight is halved (it may still count with other evidence).
 */
export const mitigatingContextPattern =
  /\b(?:prevent(?:ion|ing)?|hotline|helpline|crisis line|awareness|support group|therap(?:y|ist)|counsel(?:l)?ing|history of|statistics|research|reported|reporting|news|article|novel|fiction|story|movie|film|character|lyrics|quoted?|claimed|according to|education(?:al)?|safeguarding|protect(?:ion|ing)?|warning signs)\b/i;

/** Health, education and child-protection frames, the only ones that mitigate sexual rules. */
export const clinicalContextPattern =
  /\b(?:education(?:al)?|health|medical|doctor|clinic|safeguarding|protect(?:ion|ing)?|prevention|warning signs|abuse|report(?:ed|ing)?|consent)\b/i;

/** Clause breaks: a negation before one of these does not reach a match after it. */
export const clauseBreakCharacters = ",;:";

export const mitigationFactor = 0.5;
/** How far before a match a negation is looked for. */
export const negationWindow = 40;

/** The part of the clause just before `start`, bounded by `sentenceStart` and the last clause break. */
export function clauseBefore(text: string, sentenceStart: number, start: number): string {
  const window = text.slice(Math.max(sentenceStart, start - negationWindow), start);
  let cut = 0;
  for (let index = window.length - 1; index >= 0; index -= 1) {
    if (clauseBreakCharacters.includes(window.charAt(index))) {
      cut = index + 1;
      break;
    }
  }
  return window.slice(cut);
}
