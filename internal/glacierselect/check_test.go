package glacierselect

import (
	"strings"
	"testing"
)

func TestCompileRefuses(t *testing.T) {
	use := CSVInput{FileHeaderInfo: HeaderUse}
	none := CSVInput{}
	cases := []struct {
		sql  string
		in   CSVInput
		want string
	}{
		{"SELECT COUNT(*) FROM ARCHIVE", none, "aggregate functions (COUNT)"},
		{"SELECT sum(_1) FROM ARCHIVE", none, "aggregate functions (SUM)"},
		{"SELECT _1 FROM ARCHIVE WHERE AVG(_2) > 1", none, "aggregate functions (AVG)"},
		{"SELECT MIN(_1), MAX(_1) FROM ARCHIVE", none, "aggregate functions (MIN)"},
		{"SELECT * FROM ARCHIVE LIMIT 10", none, "LIMIT"},
		{"SELECT * FROM S3Object", none, "unknown table S3Object"},
		{"SELECT * FROM ARCHIVE s WHERE t._1 = 'a'", none, "unknown qualifier t"},
		{"SELECT s._1 FROM ARCHIVE", none, "unknown qualifier s"},
		{"SELECT FOO(_1) FROM ARCHIVE", none, "unknown function FOO"},
		{"SELECT UPPER(_1, _2) FROM ARCHIVE", none, "wrong number of arguments to UPPER"},
		{"SELECT UTCNOW(1) FROM ARCHIVE", none, "UTCNOW takes no arguments"},
		{"SELECT CAST(_1 AS DATE) FROM ARCHIVE", none, "unknown type DATE"},
		{"SELECT EXTRACT(WEEK FROM _1) FROM ARCHIVE", none, "unknown date part WEEK"},
		{"SELECT DATE_ADD(week, 1, _1) FROM ARCHIVE", none, "needs a date part"},
		{"SELECT DATE_DIFF('year', _1, _2) FROM ARCHIVE", none, "needs a date part"},
		{"SELECT DATE_ADD(year, 1) FROM ARCHIVE", none, "wrong number of arguments to DATE_ADD"},
		{"SELECT * FROM ARCHIVE WHERE _1 > `yesterday`", none, "invalid timestamp literal"},
		{"SELECT name FROM ARCHIVE", none, "column name name can be used only with InputSerialization.csv.FileHeaderInfo USE"},
		{"SELECT \"name\" FROM ARCHIVE", CSVInput{FileHeaderInfo: HeaderIgnore}, "FileHeaderInfo USE"},
		{"SELECT name, _2 FROM ARCHIVE", use, "cannot be mixed"},
		{"SELECT _1 FROM ARCHIVE WHERE city = 'x'", use, "cannot be mixed"},
		{"SELECT _1048577 FROM ARCHIVE", none, "1048576 columns"},
		{"SELECT FROM ARCHIVE", none, "syntax error"},
		{"SELECT * FROM", none, "syntax error"},
		{"SELECT * ARCHIVE", none, "syntax error"},
		{"SELECT * FROM ARCHIVE WHERE", none, "syntax error"},
		{"SELECT * FROM ARCHIVE WHERE _1 = 'unterminated", none, "syntax error"},
		{"SELECT * FROM ARCHIVE GROUP BY _1", none, "syntax error"},
		{"SELECT * FROM ARCHIVE ORDER BY _1", none, "syntax error"},
		{"SELECT * FROM ARCHIVE a JOIN ARCHIVE b", none, "syntax error"},
		{"SELECT * FROM (SELECT * FROM ARCHIVE)", none, "syntax error"},
		{"DELETE FROM ARCHIVE", none, "syntax error"},
		{"SELECT date FROM ARCHIVE", use, "date is a reserved keyword"},
		{"SELECT a.Value FROM ARCHIVE a", use, "Value is a reserved keyword"},
		{"SELECT * FROM ARCHIVE WHERE year = '2020'", use, "year is a reserved keyword"},
		{"SELECT _1 AS count FROM ARCHIVE", none, "count is a reserved keyword"},
		{"SELECT * FROM ARCHIVE user", none, "user is a reserved keyword"},
		{"SELECT " + strings.Repeat("(", 101) + "1" + strings.Repeat(")", 101) + " FROM ARCHIVE", none, "nest deeper than 100"},
		{"SELECT * FROM ARCHIVE WHERE _1 LIKE 'a' ESCAPE 'xy'", none, "single character"},
		{"SELECT * FROM ARCHIVE; SELECT * FROM ARCHIVE", none, "syntax error"},
	}
	for _, c := range cases {
		t.Run(c.sql, func(t *testing.T) {
			_, err := Compile(Params{ExpressionType: "SQL", Expression: c.sql, Input: c.in})
			wantInvalid(t, err, c.want)
			wantInvalid(t, err, "Invalid SQL expression")
		})
	}
}

func TestCompileAccepts(t *testing.T) {
	use := CSVInput{FileHeaderInfo: HeaderUse}
	for _, c := range []struct {
		sql string
		in  CSVInput
	}{
		{"select * from archive", CSVInput{}},
		{"SELECT * FROM OBJECT o;", CSVInput{}},
		{"SELECT o._1 FROM OBJECT AS o", CSVInput{}},
		{"SELECT ARCHIVE._1 FROM ARCHIVE", CSVInput{}},
		{"SELECT _1 AS one, _2 two, _3 AS \"first\" FROM ARCHIVE -- a comment", CSVInput{}},
		{"SELECT _1 FROM ARCHIVE", use},
		{"SELECT name, \"Age\" FROM ARCHIVE a WHERE a.city = 'x'", use},
		{"SELECT s.\"count\" FROM ARCHIVE s", use},
		{"SELECT \"date\", \"year\" FROM ARCHIVE WHERE \"value\" = 'x'", use},
		{"SELECT " + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100) + " FROM ARCHIVE WHERE _1 = '((('", CSVInput{}},
		{"SELECT DATE_ADD(YEAR, 1, `2010T`), DATE_DIFF(day, `2010T`, `2011T`), UTCNOW() FROM ARCHIVE", CSVInput{}},
	} {
		if _, err := Compile(Params{ExpressionType: "SQL", Expression: c.sql, Input: c.in}); err != nil {
			t.Errorf("%s: %v", c.sql, err)
		}
	}
}
