import { readFileSync } from 'node:fs';
import { FlagError } from '../framework/cli-errors.js';
import { GoTemplateError, parseGoTemplate, renderGoTemplate, type GoTemplate } from './go-template.js';
import { evaluateJsonPath, JsonPathError, parseJsonPath } from './json-path.js';
import { tabwrite } from './tabwriter.js';

/**
 * `-o/--output`: how a command prints the API's answer.
 *
 *   plaintext (default)        the command's Atlas template; aligned on a terminal, tab-separated in a pipe
 *   json                       the API body unchanged (all fields, nulls, server key order), indented 2 spaces as the Atlas CLI does
 *   json-path=<expr>           the value(s) selected from the body, as JSON (see json-path.ts)
 *   go-template=<template>     the body through a template of the documented subset (see go-template.ts)
 *   go-template-file=<path>    the same, template read from a file
 */
export type OutputFormat =
  | { readonly kind: 'plaintext' }
  | { readonly kind: 'json' }
  | { readonly kind: 'json-path'; readonly expression: string }
  | { readonly kind: 'go-template'; readonly template: GoTemplate };

/** Parses an `-o` value; a bad one is a flag error (exit 1, before any API call). */
export function parseOutputFormat(value: string): OutputFormat {
  const invalid = (reason: string) => new FlagError(`invalid argument "${value}" for "-o, --output" flag: ${reason}`);
  if (value === 'plaintext' || value === '') return { kind: 'plaintext' };
  if (value === 'json') return { kind: 'json' };
  const [kind, ...rest] = value.split('=');
  const argument = rest.join('=');
  try {
    switch (kind) {
      case 'json-path':
        parseJsonPath(argument);
        return { kind: 'json-path', expression: argument };
      case 'go-template':
        if (argument === '') throw new GoTemplateError('empty template');
        return { kind: 'go-template', template: parseGoTemplate(argument) };
      case 'go-template-file': {
        let text: string;
        try {
          text = readFileSync(argument, 'utf8');
        } catch (error) {
          throw new GoTemplateError(`error loading template: ${argument}, ${(error as Error).message}`);
        }
        return { kind: 'go-template', template: parseGoTemplate(text) };
      }
      default:
        throw invalid('valid values are plaintext, json, json-path=<expr>, go-template=<template>, go-template-file=<path>');
    }
  } catch (error) {
    if (error instanceof GoTemplateError || error instanceof JsonPathError) throw invalid(error.message);
    throw error;
  }
}

/**
 * The human form of a command: a Go template (Atlas's, verbatim) or a function producing
 * tab-separated text, for the few outputs the template subset cannot express.
 */
export type HumanTemplate = string | ((body: unknown) => string);

/** Renders `body` in `format`; `terminal` aligns template output with Go's tabwriter. */
export function renderOutput(format: OutputFormat, body: unknown, human: HumanTemplate, terminal: boolean): string {
  switch (format.kind) {
    case 'json':
      return `${JSON.stringify(body ?? null, null, 2)}\n`;
    case 'json-path':
      return `${JSON.stringify(evaluateJsonPath(format.expression, body) ?? null, null, 2)}\n`;
    case 'go-template':
      return align(renderGoTemplate(format.template, body), terminal);
    case 'plaintext':
      return align(typeof human === 'function' ? human(body) : renderGoTemplate(parseGoTemplate(human), body), terminal);
  }
}

function align(text: string, terminal: boolean): string {
  return terminal ? tabwrite(text) : text;
}
