// Vite/vitest import text files as strings with `?raw`; tests use it to read the hand-written fixtures.
declare module '*?raw' {
  const text: string;
  export default text;
}
