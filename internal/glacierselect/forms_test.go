package glacierselect

import "testing"

const people = "id,name,age,city,joined\n" +
	"1,alice,30,NYC,2020-01-15T10:00Z\n" +
	"2,bob,45,LA,2021-06-01T00:00Z\n" +
	"3,carol,,NYC,2019-12-31T23:59Z\n" +
	"4,\"dave, jr\",60,SF,2022-02-28T12:00Z\n" +
	"5,Eve\n"

// TestSQLForms runs each SQL form of the reference over people.
func TestSQLForms(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT * FROM ARCHIVE", "1,alice,30,NYC,2020-01-15T10:00Z\n2,bob,45,LA,2021-06-01T00:00Z\n3,carol,,NYC,2019-12-31T23:59Z\n4,\"dave, jr\",60,SF,2022-02-28T12:00Z\n5,Eve\n"},
		{"SELECT name, city FROM ARCHIVE", "alice,NYC\nbob,LA\ncarol,NYC\n\"dave, jr\",SF\nEve,\n"},
		{"SELECT _2 FROM ARCHIVE WHERE _1 = '2'", "bob\n"},
		{"SELECT p.name AS who FROM OBJECT AS p WHERE p.city = 'NYC'", "alice\ncarol\n"},
		{"SELECT name FROM ARCHIVE p WHERE age <> '' AND CAST(age AS INT) > 40", "bob\n\"dave, jr\"\n"},
		{"SELECT name FROM ARCHIVE WHERE age > 40", "bob\n\"dave, jr\"\n"},
		{"SELECT name FROM ARCHIVE WHERE age >= 30 AND city <> 'SF'", "alice\nbob\n"},
		{"SELECT name FROM ARCHIVE WHERE city = 'LA' OR city = 'SF'", "bob\n\"dave, jr\"\n"},
		{"SELECT name FROM ARCHIVE WHERE NOT city = 'NYC'", "bob\n\"dave, jr\"\n"},
		{"SELECT name FROM ARCHIVE WHERE name LIKE '%a%'", "alice\ncarol\n\"dave, jr\"\n"},
		{"SELECT name FROM ARCHIVE WHERE name NOT LIKE '_o%'", "alice\ncarol\n\"dave, jr\"\nEve\n"},
		{"SELECT name FROM ARCHIVE WHERE name LIKE 'dave!,%' ESCAPE '!'", "\"dave, jr\"\n"},
		{"SELECT name FROM ARCHIVE WHERE age <> '' AND CAST(age AS INT) BETWEEN 30 AND 45", "alice\nbob\n"},
		{"SELECT name FROM ARCHIVE WHERE age <> '' AND CAST(age AS INT) NOT BETWEEN 30 AND 45", "\"dave, jr\"\n"},
		{"SELECT name FROM ARCHIVE WHERE city IN ('LA', 'SF')", "bob\n\"dave, jr\"\n"},
		{"SELECT name FROM ARCHIVE WHERE id NOT IN (1, 2, 3)", "\"dave, jr\"\nEve\n"},
		{"SELECT name FROM ARCHIVE WHERE city IS NULL", "Eve\n"},
		{"SELECT name FROM ARCHIVE WHERE city IS MISSING", "Eve\n"},
		{"SELECT name FROM ARCHIVE WHERE city IS NOT NULL AND age = ''", "carol\n"},
		{"SELECT id, CAST(age AS INT) * 2 + 1, -CAST(id AS INT), CAST(age AS FLOAT) / 4, CAST(age AS INT) % 7 FROM ARCHIVE WHERE id = 2", "2,91,-2,11.25,3\n"},
		{"SELECT name || '@' || city, CHAR_LENGTH(name), CHARACTER_LENGTH(''), UPPER(name), LOWER('AbC') FROM ARCHIVE WHERE id = 1", "alice@NYC,5,0,ALICE,abc\n"},
		{"SELECT SUBSTRING(name FROM 2 FOR 3), SUBSTRING(name, 3), SUBSTRING(name FROM 0 FOR 2), SUBSTRING(name, -4) FROM ARCHIVE WHERE id = 1", "lic,ice,a,alice\n"},
		{"SELECT TRIM('  x  '), TRIM(LEADING FROM '  x  '), TRIM(TRAILING FROM '  x  '), TRIM(BOTH 'ab' FROM 'abxba') FROM ARCHIVE WHERE id = 1", "x,x  ,  x,x\n"},
		{"SELECT CASE WHEN age = '' THEN 'unknown' WHEN CAST(age AS INT) >= 45 THEN 'senior' ELSE 'junior' END FROM ARCHIVE WHERE id < 5", "junior\nsenior\nunknown\nsenior\n"},
		{"SELECT CASE city WHEN 'NYC' THEN 1 WHEN 'LA' THEN 2 END FROM ARCHIVE", "1\n2\n1\n\n\n"},
		{"SELECT COALESCE(city, 'none'), NULLIF(city, 'NYC') FROM ARCHIVE WHERE id IN (1, 2, 5)", "NYC,\nLA,LA\nnone,\n"},
		{"SELECT CAST(joined AS TIMESTAMP), EXTRACT(YEAR FROM CAST(joined AS TIMESTAMP)), EXTRACT(MONTH FROM joined) FROM ARCHIVE WHERE id = 1", "2020-01-15T10:00:00Z,2020,1\n"},
		{"SELECT name FROM ARCHIVE WHERE CAST(joined AS TIMESTAMP) < `2020T`", "carol\n"},
		{"SELECT name FROM ARCHIVE WHERE TO_TIMESTAMP(joined) > `2021-01-01T`", "bob\n\"dave, jr\"\n"},
		{"SELECT DATE_ADD(month, 13, `2010T`), DATE_ADD(day, -1, `2017-01-10T`), DATE_ADD(hour, 1, `2017-01-02T03:04Z`), DATE_ADD(second, 1, `2017-01-02T03:04:05.006Z`) FROM ARCHIVE WHERE id = 1",
			"2011-02-01T00:00:00Z,2017-01-09T00:00:00Z,2017-01-02T04:04:00Z,2017-01-02T03:04:06.006Z\n"},
		{"SELECT DATE_DIFF(year, `2010-01-01T`, `2011-01-01T`), DATE_DIFF(month, `2010T`, `2011T`), DATE_DIFF(month, `2011T`, `2010T`), DATE_DIFF(day, `2010-01-01T23:00Z`, `2010-01-02T01:00Z`) FROM ARCHIVE WHERE id = 1",
			"1,12,-12,0\n"},
		{"SELECT TO_STRING(CAST(joined AS TIMESTAMP), 'MMMM d, y'), TO_STRING(`1969-07-20T20:18Z`, 'yyyy-MM-dd''T''HH:mmX'), TO_STRING(`1969-07-20T20:18Z`, 'h:m a') FROM ARCHIVE WHERE id = 1",
			"\"January 15, 2020\",1969-07-20T20:18Z,8:18 PM\n"},
		{"SELECT UTCNOW() FROM ARCHIVE WHERE id = 1", "2026-12-02T14:30:00Z\n"},
		{"SELECT TRUE, FALSE, NULL, 1.5, 'it''s', CAST('true' AS BOOL), CAST(1 AS STRING) FROM ARCHIVE WHERE id = 1", "true,false,,1.5,it's,true,1\n"},
		{"SELECT name FROM ARCHIVE WHERE (city = 'NYC' OR city = 'LA') AND NOT (age = '')", "alice\nbob\n"},
		{"SELECT \"name\", \"city\" FROM ARCHIVE WHERE id = 1", "alice,NYC\n"},
	}
	for _, c := range cases {
		t.Run(c.sql, func(t *testing.T) {
			got, err := runSQL(t, c.sql, CSVInput{FileHeaderInfo: HeaderUse}, CSVOutput{}, people)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}
