/**
 * A small SOQL parser: exactly the grammar the connector sends, plus the neighbours a person
 * trying the sandbox would type.
 *
 *   SELECT item (, item)* FROM Object [WHERE cond (AND cond)*]
 *     [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST] (, …)*] [LIMIT n]
 *   item := field | Relationship.field | ( subquery on a child relationship )
 *   cond := field (= | != | <> | < | <= | > | >= | LIKE) literal | field IN ( literal (, literal)* )
 *   literal := 'text' | number | true | false | null | 2026-11-23 | 2026-11-23T10:00:00.000Z
 */
type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN';

interface Located {
  /** 0-based offset in the statement, for Salesforce's "ERROR at Row:1:Column:n". */
  pos: number;
}

interface FieldRef extends Located {
  path: string;
}

export type Literal = Located &
  (
    | { kind: 'string'; value: string }
    | { kind: 'number'; value: number }
    | { kind: 'boolean'; value: boolean }
    | { kind: 'null'; value: null }
    | { kind: 'datetime'; value: number }
    | { kind: 'date'; value: string }
  );

export interface Condition {
  field: FieldRef;
  op: Operator;
  /** The literal compared with; for IN, the first of `values`. */
  value: Literal;
  /** IN: every literal of the list. */
  values?: Literal[];
}

export interface OrderTerm {
  field: FieldRef;
  descending: boolean;
  nullsLast: boolean;
}

type SelectItem = { kind: 'field'; field: FieldRef } | { kind: 'subquery'; query: SoqlQuery };

export interface SoqlQuery {
  items: SelectItem[];
  from: FieldRef;
  where: Condition[];
  orderBy: OrderTerm[];
  limit?: number;
}

/** A query Salesforce would refuse: errorCode plus where in the text it went wrong. */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    readonly problem: string,
    readonly pos: number,
  ) {
    super(problem);
  }
}

interface Token {
  kind: 'word' | 'string' | 'number' | 'datetime' | 'date' | 'op' | 'punct' | 'end';
  text: string;
  pos: number;
}

const PATTERNS: [Token['kind'], RegExp][] = [
  ['datetime', /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/y],
  ['date', /\d{4}-\d{2}-\d{2}/y],
  ['number', /-?\d+(\.\d+)?/y],
  ['string', /'(?:[^'\\]|\\.)*'/y],
  ['op', /!=|<>|<=|>=|=|<|>/y],
  ['punct', /[(),]/y],
  ['word', /[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/y],
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (/\s/.test(text[pos])) {
      pos++;
      continue;
    }
    const match = PATTERNS.map(([kind, re]) => {
      re.lastIndex = pos;
      const m = re.exec(text);
      return m ? { kind, text: m[0], pos } : null;
    }).find((t) => t !== null);
    if (!match) throw new SoqlError('MALFORMED_QUERY', `unexpected character '${text[pos]}'`, pos);
    tokens.push(match);
    pos += match.text.length;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private get token(): Token {
    return this.tokens[this.index];
  }

  private isKeyword(word: string): boolean {
    return this.token.kind === 'word' && this.token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.index++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(`expecting '${word}'`);
  }

  private accept(text: string): boolean {
    if (this.token.text !== text || this.token.kind === 'string') return false;
    this.index++;
    return true;
  }

  private fail(expected: string): never {
    const found = this.token.kind === 'end' ? 'end of query' : `'${this.token.text}'`;
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: ${found} (${expected})`, this.token.pos);
  }

  private field(): FieldRef {
    if (this.token.kind !== 'word') this.fail('expecting a field name');
    const token = this.tokens[this.index++];
    return { path: token.text, pos: token.pos };
  }

  query(): SoqlQuery {
    this.expectKeyword('SELECT');
    const items: SelectItem[] = [];
    do {
      if (this.accept('(')) {
        items.push({ kind: 'subquery', query: this.query() });
        if (!this.accept(')')) this.fail("expecting ')'");
      } else {
        items.push({ kind: 'field', field: this.field() });
      }
    } while (this.accept(','));
    this.expectKeyword('FROM');
    const query: SoqlQuery = { items, from: this.field(), where: [], orderBy: [] };
    if (this.acceptKeyword('WHERE')) {
      do query.where.push(this.condition());
      while (this.acceptKeyword('AND'));
    }
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do query.orderBy.push(this.orderTerm());
      while (this.accept(','));
    }
    if (this.acceptKeyword('LIMIT')) {
      if (this.token.kind !== 'number' || !/^\d+$/.test(this.token.text)) this.fail('expecting a row count');
      query.limit = Number(this.tokens[this.index++].text);
    }
    return query;
  }

  parse(): SoqlQuery {
    const query = this.query();
    if (this.token.kind !== 'end') this.fail('expecting end of query');
    return query;
  }

  private condition(): Condition {
    const field = this.field();
    if (this.acceptKeyword('LIKE')) return { field, op: 'LIKE', value: this.literal() };
    if (this.acceptKeyword('IN')) {
      if (!this.accept('(')) this.fail("expecting '('");
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.accept(','));
      if (!this.accept(')')) this.fail("expecting ')'");
      return { field, op: 'IN', value: values[0], values };
    }
    if (this.token.kind !== 'op') this.fail('expecting a comparison operator');
    const text = this.tokens[this.index++].text;
    const op = (text === '<>' ? '!=' : text) as Operator;
    return { field, op, value: this.literal() };
  }

  private literal(): Literal {
    const token = this.tokens[this.index++];
    const pos = token.pos;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text.slice(1, -1).replace(/\\(.)/g, '$1'), pos };
      case 'number':
        return { kind: 'number', value: Number(token.text), pos };
      case 'date':
        return { kind: 'date', value: token.text, pos };
      case 'datetime': {
        const at = Date.parse(token.text);
        if (Number.isNaN(at)) throw new SoqlError('MALFORMED_QUERY', `invalid datetime '${token.text}'`, pos);
        return { kind: 'datetime', value: at, pos };
      }
      case 'word': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true', pos };
        if (word === 'null') return { kind: 'null', value: null, pos };
      }
    }
    this.index--;
    this.fail('expecting a value');
  }

  private orderTerm(): OrderTerm {
    const field = this.field();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    // SOQL's default: nulls first when ascending, last when descending.
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else if (this.acceptKeyword('FIRST')) nullsLast = false;
      else this.fail("expecting 'FIRST' or 'LAST'");
    }
    return { field, descending, nullsLast };
  }
}

export function parseSoql(text: string): SoqlQuery {
  return new Parser(tokenize(text)).parse();
}

/** Salesforce's error text: the statement, a caret under the column, then the problem. */
export function soqlErrorMessage(soql: string, error: SoqlError): string {
  const column = error.pos + 1;
  return `\n${soql}\n${' '.repeat(error.pos)}^\nERROR at Row:1:Column:${column}\n${error.problem}`;
}
