export function paint(code: number, text: string): string;
export function say(message: string): void;
export function prefixer(name: string): (chunk: Buffer | string) => void;
