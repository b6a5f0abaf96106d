import { styleText } from 'node:util';
import { readConfig } from '../config';

type Style = Parameters<typeof styleText>[0];

/**
 * Colour for people, plain text for pipes: styles apply only when the stream is
 * a TTY and `NO_COLOR` is unset (or `FORCE_COLOR` asks for them).
 */
export function stylerFor(stream: { isTTY?: boolean } = process.stdout) {
  const colour = readConfig(stream).colour;
  const paint = (style: Style) => (text: string) => (colour ? styleText(style, text) : text);
  return {
    bold: paint('bold'),
    dim: paint('dim'),
    green: paint('green'),
    red: paint('red'),
    yellow: paint('yellow'),
    cyan: paint('cyan'),
  };
}

export type Styler = ReturnType<typeof stylerFor>;
