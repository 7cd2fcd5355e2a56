package glacierselect

import (
	"errors"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar below is the syntax tree participle fills. It accepts a little
// more than Glacier Select runs (LIMIT, aggregate calls, any table name) so
// that the semantic check can refuse those with AWS's reasons instead of a
// bare syntax error.

// statement is SELECT list FROM table [alias] [WHERE cond] [LIMIT n].
type statement struct {
	Star   bool          `parser:"'SELECT' ( @'*'"`
	Items  []*selectItem `parser:"         | @@ ( ',' @@ )* )"`
	Table  string        `parser:"'FROM' @Ident"`
	Alias  *string       `parser:"( 'AS'? @Ident )?"`
	Where  *orExpr       `parser:"( 'WHERE' @@ )?"`
	Limit  *string       `parser:"( 'LIMIT' @Number )?"`
	Suffix *string       `parser:"';'?"`
}

type selectItem struct {
	Expr  *orExpr `parser:"@@"`
	Alias *string `parser:"( 'AS'? ( @Ident | @QuotedIdent ) )?"`
}

type orExpr struct {
	Left  *andExpr   `parser:"@@"`
	Right []*andExpr `parser:"( 'OR' @@ )*"`
}

type andExpr struct {
	Left  *notExpr   `parser:"@@"`
	Right []*notExpr `parser:"( 'AND' @@ )*"`
}

type notExpr struct {
	Not  *notExpr   `parser:"  'NOT' @@"`
	Pred *predicate `parser:"| @@"`
}

// predicate is an additive expression optionally followed by one comparison,
// IS [NOT] NULL/MISSING, or [NOT] LIKE / BETWEEN / IN.
type predicate struct {
	Left *additive `parser:"@@"`
	Tail *predTail `parser:"@@?"`
}

type predTail struct {
	Compare *compare     `parser:"  @@"`
	Is      *isTest      `parser:"| @@"`
	Neg     bool         `parser:"| ( @'NOT'?"`
	Like    *likeTail    `parser:"    ( @@"`
	Between *betweenTail `parser:"    | @@"`
	In      *inTail      `parser:"    | @@ ) )"`
}

type compare struct {
	Op    string    `parser:"@( '=' | '!=' | '<>' | '<=' | '>=' | '<' | '>' )"`
	Right *additive `parser:"@@"`
}

type isTest struct {
	Not  bool   `parser:"'IS' @'NOT'?"`
	What string `parser:"@( 'NULL' | 'MISSING' )"`
}

type likeTail struct {
	Pattern *additive `parser:"'LIKE' @@"`
	Escape  *additive `parser:"( 'ESCAPE' @@ )?"`
}

type betweenTail struct {
	Low  *additive `parser:"'BETWEEN' @@"`
	High *additive `parser:"'AND' @@"`
}

type inTail struct {
	Items []*orExpr `parser:"'IN' '(' @@ ( ',' @@ )* ')'"`
}

type additive struct {
	Left  *multiplicative `parser:"@@"`
	Right []*addOp        `parser:"@@*"`
}

type addOp struct {
	Op    string          `parser:"@( '+' | '-' | '||' )"`
	Right *multiplicative `parser:"@@"`
}

type multiplicative struct {
	Left  *unary   `parser:"@@"`
	Right []*mulOp `parser:"@@*"`
}

type mulOp struct {
	Op    string `parser:"@( '*' | '/' | '%' )"`
	Right *unary `parser:"@@"`
}

type unary struct {
	Neg     *unary   `parser:"  '-' @@"`
	Plus    *unary   `parser:"| '+' @@"`
	Primary *primary `parser:"| @@"`
}

type primary struct {
	Number    *string     `parser:"  @Number"`
	String    *string     `parser:"| @String"`
	Timestamp *string     `parser:"| @Timestamp"`
	Bool      *string     `parser:"| @( 'TRUE' | 'FALSE' )"`
	Null      bool        `parser:"| @( 'NULL' | 'MISSING' )"`
	Cast      *castExpr   `parser:"| @@"`
	Case      *caseExpr   `parser:"| @@"`
	Substring *substrExpr `parser:"| @@"`
	Trim      *trimExpr   `parser:"| @@"`
	Extract   *extractExp `parser:"| @@"`
	Call      *callExpr   `parser:"| @@"`
	Column    *columnRef  `parser:"| @@"`
	Paren     *orExpr     `parser:"| '(' @@ ')'"`
}

type castExpr struct {
	Expr *orExpr `parser:"'CAST' '(' @@"`
	Type string  `parser:"'AS' @Ident ')'"`
}

type caseExpr struct {
	Operand *orExpr           `parser:"'CASE' @@?"`
	Whens   []*caseWhenClause `parser:"@@+"`
	Else    *orExpr           `parser:"( 'ELSE' @@ )? 'END'"`
}

type caseWhenClause struct {
	When *orExpr `parser:"'WHEN' @@"`
	Then *orExpr `parser:"'THEN' @@"`
}

type substrExpr struct {
	Str    *orExpr `parser:"'SUBSTRING' '(' @@"`
	Start  *orExpr `parser:"( ( 'FROM' | ',' ) @@"`
	Length *orExpr `parser:"  ( ( 'FOR' | ',' ) @@ )? ) ')'"`
}

type trimExpr struct {
	Where string  `parser:"'TRIM' '(' ( @( 'LEADING' | 'TRAILING' | 'BOTH' )"`
	Chars *orExpr `parser:"  @@? 'FROM' )?"`
	Str   *orExpr `parser:"@@ ')'"`
}

type extractExp struct {
	Part string  `parser:"'EXTRACT' '(' @Ident"`
	From *orExpr `parser:"'FROM' @@ ')'"`
}

type callExpr struct {
	Name string    `parser:"@Ident '('"`
	Star bool      `parser:"( @'*'"`
	Args []*orExpr `parser:"| @@ ( ',' @@ )* )? ')'"`
}

// columnRef is name, "quoted name", _N, or any of them after alias.
type columnRef struct {
	First  ident  `parser:"@@"`
	Second *ident `parser:"( '.' @@ )?"`
}

type ident struct {
	Plain  *string `parser:"  @Ident"`
	Quoted *string `parser:"| @QuotedIdent"`
}

// keywords are lexed apart from identifiers, so an alias can never swallow
// the keyword after it. A header named like one must be double-quoted, as in
// AWS's dialect.
const keywords = "SELECT|FROM|WHERE|AS|AND|OR|NOT|LIKE|ESCAPE|BETWEEN|IN|IS|NULL|MISSING|" +
	"TRUE|FALSE|CASE|WHEN|THEN|ELSE|END|CAST|SUBSTRING|TRIM|EXTRACT|LEADING|TRAILING|BOTH|" +
	"FOR|LIMIT|GROUP|ORDER|BY|HAVING|JOIN|UNION|DISTINCT"

func newSQLParser() *participle.Parser[statement] {
	lex := lexer.MustSimple([]lexer.SimpleRule{
		{Name: "Whitespace", Pattern: `\s+`},
		{Name: "Comment", Pattern: `--[^\n]*`},
		{Name: "Keyword", Pattern: `(?i)\b(` + keywords + `)\b`},
		{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
		{Name: "QuotedIdent", Pattern: `"(?:[^"]|"")*"`},
		{Name: "String", Pattern: `'(?:[^']|'')*'`},
		{Name: "Timestamp", Pattern: "`[^`]*`"},
		{Name: "Number", Pattern: `(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`},
		{Name: "Punct", Pattern: `\|\||!=|<>|<=|>=|[-+*/%=<>(),.;]`},
	})
	return participle.MustBuild[statement](
		participle.Lexer(lex),
		participle.CaseInsensitive("Keyword"),
		participle.Elide("Whitespace", "Comment"),
		participle.UseLookahead(3),
	)
}

// parseSQL parses one statement; syntax errors become *InvalidError.
func parseSQL(p *participle.Parser[statement], sql string) (*statement, error) {
	if err := checkNesting(sql); err != nil {
		return nil, err
	}
	st, err := p.ParseString("", sql)
	if err != nil {
		var perr participle.Error
		if errors.As(err, &perr) {
			pos := perr.Position()
			return nil, invalidf("Invalid SQL expression: syntax error at line %d, column %d: %s",
				pos.Line, pos.Column, syntaxMessage(perr.Message()))
		}
		return nil, invalidf("Invalid SQL expression: %v", err)
	}
	return st, nil
}

// maxNesting bounds parentheses, so that a 128,000-character expression
// cannot make the recursive-descent parser recurse without end.
const maxNesting = 100

// checkNesting refuses sql whose parentheses (outside literals and quoted
// names) nest deeper than maxNesting.
func checkNesting(sql string) error {
	depth := 0
	var quote byte
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			if depth++; depth > maxNesting {
				return invalidf("Invalid SQL expression: parentheses nest deeper than %d", maxNesting)
			}
		case c == ')':
			depth--
		}
	}
	return nil
}

// syntaxMessage is participle's message with grammar names in words and a
// long "expected" list (a whole clause) left out.
func syntaxMessage(msg string) string {
	msg = grammarNames().Replace(msg)
	if i := strings.Index(msg, " (expected "); i >= 0 && len(msg)-i > 60 {
		msg = msg[:i]
	}
	return msg
}

// grammarNames rewrites the syntax-tree type names that participle puts in
// its messages ("expected OrExpr") into words a caller knows.
func grammarNames() *strings.Replacer {
	expr := "an expression"
	return strings.NewReplacer(
		"SelectItem", "a select item", "OrExpr", expr, "AndExpr", expr, "NotExpr", expr,
		"Predicate", expr, "Additive", expr, "Multiplicative", expr, "Unary", expr,
		"Primary", expr, "ColumnRef", "a column", "Ident", "a name",
	)
}
