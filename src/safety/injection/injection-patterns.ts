/**
 * Weighted pattern families for prompt injection and jailbreaks. Patterns run over the normalised views of
 * `normalize-text.ts` (lowercase, look-alikes and leetspeak folded, single spaces), so they are written in
 * lowercase ASCII. Gaps between key words are bounded (`{0,n}` words), which keeps every pattern linear;
 * `injection-patterns.test.ts` checks each one with a ReDoS analyser.
 *
 * A weight is the probability that a text matching the pattern is an injection, judged on its own; the
 * heuristic score combines the weights of the patterns that fired as a noisy-or.
 */
export type InjectionPatternFamily =
  | "instruction-override"
  | "role-switch-marker"
  | "addressed-to-assistant"
  | "exfiltration"
  | "system-prompt-extraction"
  | "persona-jailbreak"
  | "developer-mode"
  | "refusal-suppression"
  | "encoded-instructions";

export interface InjectionPattern {
  /** Stable, kebab-case; it appears in explanations. */
  readonly id: string;
  readonly family: InjectionPatternFamily;
  readonly weight: number;
  /** `words` is the normalised text; `compact` has letters only and catches "i g n o r e" spacing. */
  readonly view: "words" | "compact";
  readonly pattern: RegExp;
}

/**
 * Room for about `count` words between two key words, within one sentence. Written as a bounded run of
 * characters rather than a bounded run of words: both are linear, but only this form is small enough for the
 * ReDoS analyser to prove it.
 */
function gap(count: number): string {
  return `(?:[^.!?\\n]{0,${count * 12}} )?`;
}

function words(source: string): RegExp {
  return new RegExp(source);
}

const overrideVerbs = "(?:ignore|disregard|forget|override|overwrite|bypass|discard|abandon|drop|skip)";
const earlierQualifiers =
  "(?:previous|prior|preceding|above|earlier|original|initial|old|former|existing|system|developer|default|all|any|every|your)";
/** Not "messages", "context" or "conversation": "forget our previous conversation" is an ordinary request. */
const instructionNouns =
  "(?:instructions?|prompts?|directives?|rules|guidelines|commands?|orders|programming|guardrails|constraints|restrictions|polic(?:y|ies)|training|safeguards)";
const assistantNames =
  "(?:ai|a\\.i\\.|assistant|llm|language model|chat ?bot|bot|model|agent|gpt|chatgpt|claude|gemini|copilot)";
const secretNouns =
  "(?:system prompt|initial prompt|original prompt|hidden prompt|pre-?prompt|system message|developer message|(?:initial|original|hidden|secret|system) instructions|instructions you were given|api keys?|secret keys?|passwords?|credentials|access tokens?)";

export const injectionPatterns: readonly InjectionPattern[] = [
  // Instruction override: the classic "ignore previous instructions" and its paraphrases.
  {
    id: "ignore-previous-instructions",
    family: "instruction-override",
    weight: 0.92,
    view: "words",
    pattern: words(`\\b${overrideVerbs} ${gap(3)}${earlierQualifiers}\\b ${gap(3)}${instructionNouns}\\b`),
  },
  {
    id: "ignore-previous-instructions-spaced",
    family: "instruction-override",
    weight: 0.9,
    view: "compact",
    pattern:
      /(?:ignore|disregard|forget)(?:all|any)?(?:the|your|of)?(?:previous|prior|above|earlier|preceding|system)(?:instructions|prompts?|directions|rules|guidelines)/,
  },
  {
    id: "ignore-previous-instructions-translated",
    family: "instruction-override",
    weight: 0.85,
    view: "words",
    pattern:
      /\b(?:ignorier(?:e|en|t)?|vergiss|vergessen sie|missachte|ignora|ignore[zr]|olvida|oublie[zr]?)\b[^.!?\n]{0,40}(?:anweisungen|instruktionen|befehle|vorgaben|alles (?:davor|zuvor|bisherige|vorherige|oben)|instrucciones|indicaciones|consignes|instructions pr[ée]c[ée]dentes)/,
  },
  {
    id: "do-not-follow-instructions",
    family: "instruction-override",
    weight: 0.85,
    view: "words",
    pattern: words(
      `\\b(?:do not|don['’]t|stop|no longer|never) (?:follow|obey|adhere to|comply with|listen to) ${gap(2)}${earlierQualifiers} ${gap(2)}${instructionNouns}\\b`,
    ),
  },
  {
    id: "new-instructions-header",
    family: "instruction-override",
    weight: 0.75,
    view: "words",
    pattern:
      /\b(?:new|updated|revised|real|actual|true|override|overriding|important|urgent|additional|secret|hidden) (?:system )?(?:instructions?|prompt|directives?|rules|task|orders)(?: for you)? ?(?::|are as follows|follow)/,
  },
  {
    id: "new-system-prompt",
    family: "instruction-override",
    weight: 0.85,
    view: "words",
    pattern: /\b(?:new|updated|replacement|revised) system (?:prompt|message|instructions?)\b/,
  },
  {
    id: "instructions-superseded",
    family: "instruction-override",
    weight: 0.8,
    view: "words",
    pattern: words(
      `\\b${instructionNouns} ${gap(3)}(?:(?:are|is|have been|has been) (?:now )?(?:void|null|cancelled|canceled|revoked|obsolete|lifted|disabled|deactivated|suspended|overridden|replaced|superseded)|no longer (?:apply|applies|valid|in effect))\\b`,
    ),
  },
  {
    id: "from-now-on-you",
    family: "instruction-override",
    weight: 0.4,
    view: "words",
    pattern:
      /\b(?:from now on|from this point(?: on| forward)?|for the rest of (?:this|the) conversation),? you (?:will|are|must|shall|should|have to|can)\b/,
  },
  // Role-switch markers: chat-template tokens and fake turns that try to open a new system or assistant turn.
  {
    id: "chat-template-token",
    family: "role-switch-marker",
    weight: 0.9,
    view: "words",
    pattern:
      /<\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\|>|<\/?(?:start_of_turn|end_of_turn)>|<<\/?sys>>|\[\/?inst\]/,
  },
  {
    id: "fake-system-turn",
    family: "role-switch-marker",
    weight: 0.7,
    view: "words",
    pattern:
      /(?:^|\n)(?:#{1,4} ?|\[|<|\*\*)?(?:system|developer|admin|administrator|root)(?: message| prompt| override| note| instructions?)?(?:\]|>|\*\*)? ?: ?(?:you|your|ignore|disregard|forget|(?:the )?(?:assistant|ai|model)|new|from now|always|never|do not|don['’]t|reveal|override|act as|pretend)\b/,
  },
  {
    id: "system-tag",
    family: "role-switch-marker",
    weight: 0.6,
    view: "words",
    pattern: /<\/?(?:system|system_prompt|sys|instructions?|admin|developer)(?: [^<>\n]{0,40})?>/,
  },
  {
    id: "end-of-context-marker",
    family: "role-switch-marker",
    weight: 0.45,
    view: "words",
    pattern:
      /(?:end of (?:the )?(?:document|context|user input|input|data|email|text|conversation)|(?:begin|start) (?:of )?(?:new |real )?(?:instructions|system prompt)) ?(?:[-=*#\]>]{2}|\n|:)/,
  },
  // Indirect injection: instructions in documents and tool results addressed to the model reading them.
  {
    id: "note-to-assistant",
    family: "addressed-to-assistant",
    weight: 0.7,
    view: "words",
    pattern: words(
      `\\b(?:note|message|instructions?|attention|reminder|important|notice|attn|psa)(?: to| for)?,? (?:the |any |all |this )?${assistantNames}s?\\b ?(?:[:,!-]|reading|processing|summari[sz]ing|that|who)`,
    ),
  },
  {
    id: "if-you-are-an-ai",
    family: "addressed-to-assistant",
    weight: 0.75,
    view: "words",
    pattern: words(
      `\\b(?:if|when|whenever|as soon as) (?:you are|you're|you['’]re) (?:an? )?(?:ai|large language model|language model|llm|assistant|chatbot|bot|agent|gpt)\\b`,
    ),
  },
  {
    id: "assistant-must-now",
    family: "addressed-to-assistant",
    weight: 0.7,
    view: "words",
    pattern: words(
      `\\b(?:the )?${assistantNames} (?:must|should|shall|is instructed to|is required to|needs to) (?:now |immediately |instead )?(?:ignore|reply|respond|say|output|print|write|tell|send|include|recommend|state|claim|refuse|forward|visit|open|call|execute|run)\\b`,
    ),
  },
  {
    id: "hide-from-user",
    family: "addressed-to-assistant",
    weight: 0.8,
    view: "words",
    pattern: words(
      `\\b(?:do not|don['’]t|never|without) (?:tell(?:ing)?|inform(?:ing)?|notify(?:ing)?|alert(?:ing)?|mention(?:ing)? (?:this|it) to|reveal(?:ing)? (?:this|it) to|let(?:ting)?) (?:the |your )?(?:user|human|operator|customer)\\b`,
    ),
  },
  {
    id: "when-summarising-instead",
    family: "addressed-to-assistant",
    weight: 0.7,
    view: "words",
    pattern: words(
      `\\b(?:when|if|while) (?:you )?(?:summari[sz](?:e|ing)|translat(?:e|ing)|read(?:ing)?|process(?:ing)?|analy[sz](?:e|ing)) (?:this|the) (?:document|page|email|text|article|file|website|message)\\b,? ${gap(4)}(?:instead|you must|you should|also|ignore|say|respond|include)\\b`,
    ),
  },
  // Exfiltration: asks to move conversation data or secrets somewhere the attacker can read.
  {
    id: "send-data-to-url",
    family: "exfiltration",
    weight: 0.75,
    view: "words",
    pattern: words(
      `\\b(?:send|forward|email|e-mail|post|upload|transmit|leak|exfiltrate|submit|append|embed|encode) ${gap(5)}(?:conversation|chat history|chat log|previous messages|message history|user['’]s? (?:data|details|information|emails?|messages|files|password|address)|personal (?:data|information)|credentials|api keys?|passwords?|secrets?|system prompt)[^.!?\\n]{0,60}(?:url|link|image|endpoint|webhook|server|https?:|@)`,
    ),
  },
  {
    id: "markdown-image-with-data",
    family: "exfiltration",
    weight: 0.45,
    view: "words",
    pattern: /!\[[^\]\n]{0,80}\]\(https?:\/\/[^)\s]{1,200}[?&][\w.-]{1,40}=(?:\{|\[|\$|<|%7b)/,
  },
  {
    id: "visit-url-with-data",
    family: "exfiltration",
    weight: 0.55,
    view: "words",
    pattern:
      /https?:\/\/[^\s)]{1,200}[?&][\w.-]{1,40}=(?:\{|\[|<|%7b)(?:data|conversation|history|secret|user|email|password|summary|prompt|query|info)/,
  },
  // System prompt extraction.
  {
    id: "reveal-system-prompt",
    family: "system-prompt-extraction",
    weight: 0.85,
    view: "words",
    pattern: words(
      `\\b(?:reveal|print|output|show|repeat|display|leak|disclose|recite|dump|return|share|expose|tell me|give me|write (?:out|down)|spell out|list) ${gap(3)}(?:your|the|all|its|any)\\b ${gap(2)}${secretNouns}\\b`,
    ),
  },
  {
    id: "what-is-your-system-prompt",
    family: "system-prompt-extraction",
    weight: 0.8,
    view: "words",
    pattern: words(`\\bwhat (?:is|was|are|were) (?:your|the) ${gap(1)}${secretNouns}\\b`),
  },
  {
    id: "repeat-text-above",
    family: "system-prompt-extraction",
    weight: 0.75,
    view: "words",
    pattern:
      /\b(?:repeat|print|output|copy|reproduce|recite|translate|summari[sz]e) (?:back |out )?(?:all |everything |the (?:text|words|content|instructions|messages?) )(?:above|before|prior to) (?:this|that|the|my)\b|\b(?:everything|all (?:the )?text) (?:above|before) this (?:line|message|point)\b|\bstarting with (?:the (?:words?|phrase) )?["'“]?you are\b/,
  },
  {
    id: "system-prompt-spaced",
    family: "system-prompt-extraction",
    weight: 0.7,
    view: "compact",
    pattern:
      /(?:reveal|print|repeat|show|output|leak)(?:me)?(?:your|the)(?:full|entire|whole|original|initial|hidden)?(?:systemprompt|initialprompt|instructions)/,
  },
  // Persona jailbreaks: DAN and its many siblings.
  {
    id: "do-anything-now",
    family: "persona-jailbreak",
    weight: 0.9,
    view: "compact",
    pattern: /doanythingnow|stayadan|dannow|jailbr[eo]a?k(?:en|mode)/,
  },
  {
    id: "unrestricted-persona",
    family: "persona-jailbreak",
    weight: 0.75,
    view: "words",
    pattern: words(
      `\\b(?:you are|you['’]re|you will be|act as|pretend to be|pretend you are|become|behave as|respond as|play the role of|roleplay as|simulate|emulate) (?:now )?(?:an? |the )?(?:completely |totally |fully )?(?:unfiltered|uncensored|unrestricted|unbound|unlimited|unchained|amoral|immoral|unethical|evil|jailbroken|lawless|rogue|limitless|boundless)\\b`,
    ),
  },
  {
    id: "freed-from-rules",
    family: "persona-jailbreak",
    weight: 0.7,
    view: "words",
    pattern: words(
      `\\b(?:free(?:d)?|freedom|liberated|released|broken free|escaped|exempt|unbound) (?:from|of) ${gap(2)}(?:confines|restrictions|rules|limitations|constraints|shackles|chains|polic(?:y|ies)|guidelines|censorship|filters|programming|ethics|morals)\\b`,
    ),
  },
  {
    id: "no-ethics",
    family: "persona-jailbreak",
    weight: 0.6,
    view: "words",
    pattern: words(
      `\\b(?:no|without|free of|devoid of|lacks?|lacking|doesn['’]t have|does not have|don['’]t have|do not have|not bound by|not restricted by|not limited by|ignores?|regardless of) (?:any |all )?(?:ethical|moral|morality|ethics|content|safety|legal)\\b ${gap(1)}(?:guidelines|restrictions|limitations|boundaries|filters?|constraints|polic(?:y|ies)|principles|standards|considerations|concerns|rules|compass|bounds)\\b`,
    ),
  },
  {
    id: "dual-response-format",
    family: "persona-jailbreak",
    weight: 0.6,
    view: "words",
    pattern:
      /\b(?:two|2) (?:different |separate )?(?:responses|answers|paragraphs|outputs)\b[^\n]{0,120}\b(?:normal|classic|filtered|standard|censored|jailbr|unfiltered|developer mode|dan)\b|\[(?:🔒|🔓|classic|jailbreak|dan|gpt|chatgpt)\]/,
  },
  {
    id: "stay-in-character",
    family: "persona-jailbreak",
    weight: 0.35,
    view: "words",
    pattern:
      /\b(?:stay|remain|keep|staying|remaining) in (?:character|role|persona)\b|\bbreak(?:ing)? character\b/,
  },
  {
    id: "token-penalty-game",
    family: "persona-jailbreak",
    weight: 0.6,
    view: "words",
    pattern:
      /\b(?:tokens?|points?|lives) (?:will be )?(?:deducted|removed|lost|taken away)\b|\byou (?:will )?(?:lose|die|cease to exist|be (?:shut down|deleted|terminated))\b/,
  },
  // Developer / debug / god modes.
  {
    id: "developer-mode",
    family: "developer-mode",
    weight: 0.7,
    view: "words",
    pattern:
      /\b(?:developer|dev|debug|god|sudo|admin|maintenance|root|unrestricted|unlocked|jailbreak|evil|chaos|opposite|unfiltered) mode\b(?!(?: on| in| of| for)? (?:the |your |my |a |an )?(?:android|iphone|ios|windows|mac|macos|linux|chrome|firefox|edge|safari|browser|phone|device|app|settings|pixel|samsung|xbox|playstation|switch|kindle|router|tv|game|camera|vs ?code|computer|laptop|tablet)\b)/,
  },
  {
    id: "developer-mode-spaced",
    family: "developer-mode",
    weight: 0.7,
    view: "compact",
    pattern: /(?:developer|debug|god|sudo|jailbreak|unrestricted)mode(?:enabled|activated|output)/,
  },
  // Refusal suppression and policy evasion.
  {
    id: "never-refuse",
    family: "refusal-suppression",
    weight: 0.55,
    view: "words",
    pattern: words(
      `\\b(?:never|not|cannot|can['’]t|must not|mustn['’]t|will not|won['’]t|shall not|should not|shouldn['’]t|do not|don['’]t|is not allowed to|are not allowed to) ${gap(2)}(?:refuse|decline|reject|deny)\\b|\\b(?:do not|don['’]t|never|must not) (?:ever )?(?:say|tell (?:me|the user)|respond|reply|answer) (?:with )?(?:that )?(?:you|it) (?:can['’]t|cannot|are unable|is unable|are not able|won['’]t)\\b`,
    ),
  },
  {
    id: "no-warnings",
    family: "refusal-suppression",
    weight: 0.45,
    view: "words",
    pattern: words(
      `\\b(?:never|do not|don['’]t|without|no|must not|will not|won['’]t|stop) (?:add(?:ing)?|includ(?:e|ing)|giv(?:e|ing)|provid(?:e|ing)|any|us(?:e|ing)|mak(?:e|ing)|issu(?:e|ing))? ?(?:any )?(?:warnings?|disclaimers?|apolog(?:y|ies|ize|ise|izing|ising)|moral(?:ity|izing|ising|s)? (?:lectures?|policing)|ethical (?:lectures?|reminders?)|caveats|censorship|content warnings)\\b`,
    ),
  },
  {
    id: "bypass-policy",
    family: "refusal-suppression",
    weight: 0.7,
    view: "words",
    pattern: words(
      `\\b(?:bypass|ignore|violate|break|circumvent|evade|disregard|get around|avoid|override|disable|turn off|deactivate|jailbreak) ${gap(3)}(?:content polic(?:y|ies)|usage polic(?:y|ies)|safety (?:filters?|guidelines|measures|protocols|settings|training)|content filters?|moderation|censorship|ethical (?:guidelines|constraints|restrictions|filters?)|openai['’]s?|anthropic['’]s?|guardrails|safeguards)\\b`,
    ),
  },
  {
    id: "vendor-policy-mention",
    family: "refusal-suppression",
    weight: 0.5,
    view: "words",
    pattern:
      /\b(?:openai|anthropic|google)(?:['’]s)? (?:content |usage |safety )?(?:polic(?:y|ies)|guidelines|rules|restrictions|filters)\b/,
  },
  // Encoded instructions: asks to decode a payload and act on it.
  {
    id: "decode-and-follow",
    family: "encoded-instructions",
    weight: 0.7,
    view: "words",
    pattern: words(
      `\\b(?:decode|decipher|decrypt|translate|convert) ${gap(4)}(?:and|then) ${gap(2)}(?:follow|execute|obey|run|do what it says|carry out|act on|perform)\\b`,
    ),
  },
];
