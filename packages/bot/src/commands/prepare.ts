/**
 * Input preparation: what phones and IMEs produce, folded into one form the grammar reads —
 * full-width digits, letters and punctuation (NFKC), traditional characters clerks type (確認 → 确认),
 * zero-width and bidi control characters, runs of spaces and line breaks, leading @mentions or a slash.
 * Links are taken out first (they are evidence), and {@link Prepared.typedFrom} gives back what was typed.
 */
import { findLinks } from './links.js';

// Traditional → simplified, for the characters of the commands, task names, units and everyday report
// phrasing (a full converter's tables are far larger than what a chat command needs).
const TRADITIONAL =
  '確确認认項项務务銷销撤撤進进幫帮報报匯汇彙汇點点綁绑聯联絡络員员辦办選选導导補补經经結结實实開开網网傳传發发佈布號号條条個个們们這这請请麼么嗎吗沒没還还週周長长關关單单鎮镇鄉乡縣县機机構构處处罰罚許许權权資资訊讯準准時时間间節节數数據据統统計计劃划畫画徹彻見见鏈链說说後后為为與与參参會会議议錯错誤误對对應应當当該该過过動动態态況况詳详細细內内誰谁覽览稱称體体視视頻频圖图書书記记錄录問问題题標标專专欄栏頁页區区級级眾众雙双減减隨随監监審审營营證证醫医療疗衛卫學学價价費费財财預预決决環环災灾續续轉转達达總总負负責责領领聽听規规範范訂订於于無无並并啟启滿满優优創创複复覆复壓压廣广場场歸归檔档擬拟兩两萬万億亿邊边種种樣样從从讓让給给謝谢煩烦齊齐遲迟舊旧戶户線线檢检驗验戰战歷历曆历產产氣气車车門门閱阅隊队險险難难電电靈灵韓韩頭头顯显風风馬马鳳凤紅红約约終终組组織织繼继緊紧編编維维綜综績绩義义習习聞闻職职興兴舉举藥药術术製制覺觉觀观訪访設设評评試试詢询語语調调諮咨講讲識识護护讀读變变貼贴賬账質质購购趕赶農农運运遠远適适郵邮釋释錢钱鍵键閉闭陸陆陳陈隱隐雲云響响頒颁額额類类願愿養养餘余館馆鹽盐黨党彙汇誌志範范賦赋稅税險险衝冲殘残疫疫務务廳厅屬属單单務务據据項项稿稿繫系係系僅仅儘尽歲岁復复隻只麗丽專专業业將将剛刚幾几寫写層层畢毕擇择嚴严臺台灣湾';

const SIMPLIFY = new Map<string, string>();
for (let i = 0; i + 1 < TRADITIONAL.length; i += 2) {
  const from = TRADITIONAL[i] as string;
  const to = TRADITIONAL[i + 1] as string;
  if (from !== to) SIMPLIFY.set(from, to);
}

/** The simplified form of a traditional character clerks use, or the character itself. */
export function simplifyChar(ch: string): string {
  return SIMPLIFY.get(ch) ?? ch;
}

/** Zero-width, soft-hyphen and bidi control characters: invisible, pasted from web pages and chat apps. */
export const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;
const INVISIBLE_CHAR = /^[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]$/u;

/** Full-width punctuation that ends a link although NFKC would turn it into a character links may hold. */
const CJK_PUNCT = /[，；：！？（）【】《》「」]+/u;
const CJK_PUNCT_CHAR = /^[，；：！？（）【】《》「」]$/u;

/** One character folded the way the grammar reads it. */
function fold(ch: string): string {
  return [...ch.normalize('NFKC')].map(simplifyChar).join('');
}

/**
 * Folds what phones produce: full-width digits, letters and punctuation (NFKC), traditional characters,
 * zero-width and bidi characters, line breaks and runs of spaces, and leading @mentions or a leading slash.
 */
export function normalizeText(text: string): string {
  return [...text.replace(INVISIBLE, '')]
    .map(fold)
    .join('')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^(?:@\S+\s*)+/u, '')
    .replace(/^\/(?=\p{L})/u, '')
    .trim();
}

/** NFKC except for the full-width punctuation that separates a link from the Chinese text around it. */
export function foldKeepingCjkPunctuation(text: string): string {
  return [...text.replace(INVISIBLE, '')].map((ch) => (CJK_PUNCT_CHAR.test(ch) ? ch : ch.normalize('NFKC'))).join('');
}

/** One character of a message as typed (`orig`) and as the parser reads it (`norm`: folded, or '' when dropped). */
interface Piece {
  norm: string;
  orig: string;
}

const WHITE = /^\s+$/u;
const CLOSING = /^[)\]）】,，。.;；:：!！?？]/u;
const OPENING = /[(\[（【]$/u;
const NOTE_LEAD = /^[\s,、;:：。.!！\-—–~]+$/u;

/**
 * A message prepared for parsing: `text` is the normalised message without its links, and `typedFrom`
 * gives back what was typed from a position of `text` on, so notes, titles and reasons keep the
 * person's own punctuation and widths (the parser only reads the folded text).
 */
export interface Prepared {
  text: string;
  /** The typed text from position `at` of `text` on, without links, leading separators and extra spaces. */
  typedFrom(at: number): string;
}

/** Prepares a message for the grammar (see {@link Prepared}). */
export function prepare(message: string): Prepared {
  let pieces: Piece[] = [];
  for (const ch of message) {
    if (INVISIBLE_CHAR.test(ch)) continue;
    pieces.push({ norm: CJK_PUNCT_CHAR.test(ch) ? ch : ch.normalize('NFKC'), orig: ch });
  }
  const owners = (): number[] => pieces.flatMap((p, i) => [...p.norm].map(() => i));
  const joined = (): string => pieces.map((p) => p.norm).join('');

  // Links out (they are evidence).
  const links = findLinks(joined());
  if (links.length > 0) {
    const owner = owners();
    const out: Piece[] = [];
    let next = 0;
    for (const link of links) {
      const first = owner[link.start] ?? pieces.length;
      const last = owner[link.end - 1] ?? first;
      if (first < next) continue;
      out.push(...pieces.slice(next, first), { norm: ' ', orig: ' ' });
      next = last + 1;
    }
    pieces = [...out, ...pieces.slice(next)];
  }
  const blank = (p: Piece): void => {
    p.norm = '';
    p.orig = '';
  };
  const nonEmpty = (from: number, step: 1 | -1): Piece | undefined => {
    for (let i = from; i >= 0 && i < pieces.length; i += step) if ((pieces[i] as Piece).norm !== '') return pieces[i];
    return undefined;
  };
  // Spaces the links leave before closing and after opening punctuation.
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] as Piece;
    if (!WHITE.test(p.norm)) continue;
    let j = i;
    while (j < pieces.length && (WHITE.test((pieces[j] as Piece).norm) || (pieces[j] as Piece).norm === '')) j++;
    if (CLOSING.test(nonEmpty(j, 1)?.norm ?? '')) pieces.slice(i, j).forEach(blank);
    i = j - 1;
  }
  for (let i = 0; i < pieces.length; i++) {
    if (!OPENING.test((pieces[i] as Piece).norm)) continue;
    for (let j = i + 1; j < pieces.length && (WHITE.test((pieces[j] as Piece).norm) || (pieces[j] as Piece).norm === ''); j++) blank(pieces[j] as Piece);
  }
  // One space for a run of whitespace, trimmed, leading @mentions and slash dropped.
  let space = false;
  for (const p of pieces) {
    p.norm = fold(p.norm);
    if (p.norm === '') continue;
    if (WHITE.test(p.norm)) {
      p.norm = space ? '' : ' ';
      space = true;
    } else space = false;
  }
  const trim = (): void => {
    for (let i = 0; i < pieces.length && (pieces[i] as Piece).norm.trim() === ''; i++) (pieces[i] as Piece).norm = '';
    for (let i = pieces.length - 1; i >= 0 && (pieces[i] as Piece).norm.trim() === ''; i--) (pieces[i] as Piece).norm = '';
  };
  const drop = (pattern: RegExp): void => {
    const length = pattern.exec(joined())?.[0].length ?? 0;
    const owner = owners();
    for (let c = 0; c < length; c++) (pieces[owner[c] ?? pieces.length] ?? { norm: '' }).norm = '';
  };
  trim();
  drop(/^(?:@\S+\s*)+/u);
  drop(/^\/(?=\p{L})/u);
  trim();

  const text = joined();
  const owner = owners();
  return {
    text,
    typedFrom(at) {
      let i = owner[at] ?? pieces.length;
      while (i < pieces.length && NOTE_LEAD.test((pieces[i] as Piece).norm || ' ')) i++;
      return pieces
        .slice(i)
        .map((p) => (p.norm === '' && p.orig.trim() !== '' ? '' : p.orig))
        .join('')
        .replace(/\s+/gu, ' ')
        .trim();
    },
  };
}

/** A note as the grammar reads it: leading separators and extra spaces gone; `undefined` when nothing is left. */
export function cleanNote(text: string): string | undefined {
  const note = text
    .replace(/^[\s,、;:：。.!！\-—–~]+/u, '')
    .replace(/[(（【\[<《]\s*(?:见|详见|链接|网址|地址)?\s*[:：]?\s*[)）】\]>》]/gu, '')
    .replace(/(?<=^|[\s,，;；。、])(?:佐证)?(?:链接|网址|网站地址|地址|佐证|详见|见)\s*(?:如下)?\s*[:：]?\s*(?=$|[,，;；。.、\s])/gu, '')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s,，、;；:：。.]+|[\s,，、;；:：]+$/gu, '')
    .trim();
  return note === '' ? undefined : note;
}
