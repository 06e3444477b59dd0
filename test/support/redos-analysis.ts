import { checkSync, type Diagnostics } from "recheck";

/** Every RegExp a module exports, named `module.export`, for the ReDoS analysis. */
export function exportedPatterns(modules: Readonly<Record<string, Readonly<Record<string, unknown>>>>) {
  const patterns: { readonly name: string; readonly pattern: RegExp }[] = [];
  for (const [moduleName, exports] of Object.entries(modules)) {
    for (const [exportName, value] of Object.entries(exports)) {
      if (value instanceof RegExp) patterns.push({ name: `${moduleName}.${exportName}`, pattern: value });
      if (Array.isArray(value)) {
        value.forEach((item: unknown, index) => {
          if (item instanceof RegExp)
            patterns.push({ name: `${moduleName}.${exportName}[${index}]`, pattern: item });
        });
      }
    }
  }
  return patterns;
}

/**
 * recheck's automaton checker decides from the pattern's structure whether matching can take super-linear
 * time; with the time limit off its verdict does not depend on machine speed.
 */
export function analyseRegex(pattern: RegExp): Diagnostics {
  return checkSync(pattern.source, pattern.flags, { checker: "automaton", timeout: null });
}
