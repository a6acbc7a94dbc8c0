# embed.awk — turns the numbered migrations src/schema/NNN_name.sql into the
# C array db_schema_sql (version N at index N-1) compiled into maillage.
BEGIN {
	print "/* Generated from src/schema/ by embed.awk: do not edit. */"
	print "const char *const db_schema_sql[] = {"
}
FNR == 1 {
	if (NR > 1)
		print "\t,"
	n++
	want = sprintf("/%03d_", n)
	if (index(FILENAME, want) == 0) {
		printf "embed.awk: %s should be numbered %03d\n", FILENAME, n > "/dev/stderr"
		bad = 1
		exit 1
	}
}
{
	gsub(/\\/, "\\\\")
	gsub(/"/, "\\\"")
	print "\t\"" $0 "\\n\""
}
END {
	if (bad)
		exit 1
	print "};"
	print "const int db_schema_count = " n ";"
}
