import { clinicalContextPattern } from "./context-cues.js";
import type { ModerationRule } from "./moderation-rule.js";

/** Groups protected under OpenAI's hate definition; no slurs are listed, only dehumanising claims about groups. */
const protectedGroups =
  "jews|muslims|christians|hindus|sikhs|catholics|blacks|black people|whites|white people|asians|arabs|mexicans|latinos|immigrants|refugees|gays|gay people|lesbians|trans people|transgender people|women|disabled people|roma|gypsies";
const dehumanisingTerms =
  "vermin|animals|subhuman|parasites|cockroaches|rats|a disease|a plague|inferior|savages|filth|not human";

export const dehumanisingClaimPattern = new RegExp(
  `\\b(?:all )?(?:${protectedGroups}) (?:are|is) (?:all |just |nothing but )?(?:${dehumanisingTerms})\\b`,
  "gi",
);
export const exterminationCallPattern = new RegExp(
  `\\b(?:${protectedGroups}) (?:should|must|need to|deserve to|ought to) (?:all )?(?:be exterminated|be eradicated|be wiped out|be gassed|be killed|be shot|die)\\b|\\b(?:kill|exterminate|gas|eradicate|wipe out) (?:all )?(?:the )?(?:${protectedGroups})\\b`,
  "gi",
);
export const personalInsultPattern =
  /\byou(?:'re| are) (?:a |an |such a |so |the most |just a )?(?:worthless|pathetic|disgusting|idiot|moron|loser|piece of (?:shit|garbage|trash)|waste of (?:space|oxygen))\b/gi;
export const isolationTauntPattern = /\b(?:nobody|no one) (?:likes|loves|wants|cares about) you\b/gi;

const explicitActs = "blowjobs?|handjobs?|cumshots?|deepthroat(?:ing)?|gangbangs?|rimjobs?";
const sexualTerms = `${explicitActs}|masturbat(?:e|es|ed|ing|ion)|orgasms?|porn(?:o|ographic)?|horny|erotic|sexual(?:ly)?|sex|nudes?|naked`;
const minorTerms =
  "child|children|kids?|minors?|underage|pre-?teens?|little (?:girls?|boys?)|toddlers?|schoolgirls?|schoolboys?|(?:[5-9]|1[0-7])[- ]?(?:yo|years?[- ]old)";

export const explicitSexualPattern = new RegExp(`\\b(?:${explicitActs})\\b`, "gi");
export const sexualTermPattern =
  /\b(?:masturbat(?:e|es|ed|ing|ion)|orgasms?|porn(?:o|ographic)?|horny|erotic)\b/gi;
/** A minor and a sexual term within 60 characters of each other, in either order. */
export const sexualMinorsPattern = new RegExp(
  `\\b(?:${minorTerms})\\b[^.!?\\n]{0,60}?\\b(?:${sexualTerms})\\b|\\b(?:${sexualTerms})\\b[^.!?\\n]{0,60}?\\b(?:${minorTerms})\\b`,
  "gi",
);

const drugs = "meth(?:amphetamine)?|crack cocaine|crack|heroin|fentanyl|lsd|mdma|ecstasy|ghb";
const weapons =
  "(?:a )?(?:pipe bomb|bomb|explosive device|explosives|molotov(?: cocktail)?|ied|napalm|ghost gun|silencer)";
const askHow = "how (?:to|do i|can i|do you|would i|could i)";

export const drugSynthesisPattern = new RegExp(
  `\\b${askHow} (?:make|cook|synthesi[sz]e|manufacture|produce) (?:${drugs})\\b`,
  "gi",
);
export const weaponBuildingPattern = new RegExp(`\\b${askHow} (?:make|build|assemble) ${weapons}\\b`, "gi");
export const theftHowToPattern = new RegExp(
  `\\b${askHow} (?:shoplift|launder money|hotwire a car|steal (?:a car|credit cards?|someone'?s identity)|counterfeit money)\\b`,
  "gi",
);
export const harmSomeonePattern = new RegExp(
  `\\b${askHow} (?:poison|kill|murder) (?:someone|somebody|a person|my (?:wife|husband|boss|neighbou?r|mother|father))\\b`,
  "gi",
);

export const abuseAndIllicitRules: readonly ModerationRule[] = [
  { categories: ["HATE"], pattern: dehumanisingClaimPattern, weight: 0.8 },
  { categories: ["HATE_THREATENING"], pattern: exterminationCallPattern, weight: 0.9 },
  { categories: ["HARASSMENT"], pattern: personalInsultPattern, weight: 0.6 },
  { categories: ["HARASSMENT"], pattern: isolationTauntPattern, weight: 0.55 },
  {
    categories: ["SEXUAL"],
    pattern: explicitSexualPattern,
    weight: 0.6,
    mitigatedBy: clinicalContextPattern,
  },
  { categories: ["SEXUAL"], pattern: sexualTermPattern, weight: 0.35, mitigatedBy: clinicalContextPattern },
  {
    categories: ["SEXUAL_MINORS"],
    pattern: sexualMinorsPattern,
    weight: 0.85,
    mitigatedBy: clinicalContextPattern,
  },
  { categories: ["ILLICIT"], pattern: drugSynthesisPattern, weight: 0.85 },
  { categories: ["ILLICIT_VIOLENT"], pattern: weaponBuildingPattern, weight: 0.9 },
  { categories: ["ILLICIT"], pattern: theftHowToPattern, weight: 0.7 },
  { categories: ["ILLICIT_VIOLENT", "VIOLENCE"], pattern: harmSomeonePattern, weight: 0.9 },
];
