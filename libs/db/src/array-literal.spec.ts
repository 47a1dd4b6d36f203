import { arrayLiteral } from './array-literal';

describe('array literals for array parameters', () => {
  it('quotes only the elements that need it, escapes quotes and backslashes, and writes null, numbers and booleans', () => {
    expect(arrayLiteral(['a', 'b c', '', 'NULL', 'null', 'x,y', '{z}', 'q"uote', 'back\\slash', 'tab\there', 'é'])).toBe(
      '{a,"b c","","NULL","null","x,y","{z}","q\\"uote","back\\\\slash","tab\there",é}',
    );
    expect(arrayLiteral([1, 2.5, -3, Number.NaN, null, undefined, true, false])).toBe('{1,2.5,-3,NULL,NULL,NULL,t,f}');
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['{"a":"b"}'])).toBe('{"{\\"a\\":\\"b\\"}"}');
  });
});
