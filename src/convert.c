/* convert.c — foreign formats through pandoc, the converter Maillage uses
 * for every one of them: run with a time limit and a size limit, its input
 * on a pipe, never through a shell. */
#include "convert.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "restyle.h"

extern char **environ;

/* What a paste keeps of the clipboard's HTML (a pandoc Lua filter): Word's
 * numbered and bulleted paragraphs become lists, a table without a header
 * row takes its first row as header, links go only to the web, mail and
 * telephone (others keep their text), images are left out. A document
 * imported whole (metadata maillage_document set) says at its end how many
 * of its images were left out. */
static const char paste_filter[] =
	"local function is_marker_span(el)\n"
	"  if not el or el.t ~= 'Span' then return false end\n"
	"  local style = el.attributes['style'] or ''\n"
	"  return style:find('mso%-list:%s*Ignore') ~= nil or is_marker_span(el.content[1])\n"
	"end\n"
	"local function word_item(b)\n"
	"  if (b.t ~= 'Para' and b.t ~= 'Plain') or not is_marker_span(b.content[1]) then\n"
	"    return nil\n"
	"  end\n"
	"  local marker = pandoc.utils.stringify(b.content[1]):gsub('[%s\\194\\160]', '')\n"
	"  local rest = pandoc.List()\n"
	"  for i = 2, #b.content do rest:insert(b.content[i]) end\n"
	"  while #rest > 0 and (rest[1].t == 'Space' or rest[1].t == 'SoftBreak') do\n"
	"    rest:remove(1)\n"
	"  end\n"
	"  return marker:match('^%w+[.)]$') ~= nil, pandoc.Plain(rest)\n"
	"end\n"
	"local function word_lists(blocks)\n"
	"  local out, run, ordered = pandoc.List(), pandoc.List(), nil\n"
	"  local function flush()\n"
	"    if #run > 0 then\n"
	"      out:insert(ordered and pandoc.OrderedList(run) or pandoc.BulletList(run))\n"
	"      run = pandoc.List()\n"
	"    end\n"
	"  end\n"
	"  for _, b in ipairs(blocks) do\n"
	"    local o, item = word_item(b)\n"
	"    if item then\n"
	"      if #run > 0 and o ~= ordered then flush() end\n"
	"      ordered = o\n"
	"      run:insert({item})\n"
	"    else\n"
	"      flush()\n"
	"      out:insert(b)\n"
	"    end\n"
	"  end\n"
	"  flush()\n"
	"  return out\n"
	"end\n"
	"local function empty_head(t)\n"
	"  for _, row in ipairs(t.head.rows) do\n"
	"    for _, cell in ipairs(row.cells) do\n"
	"      if pandoc.utils.stringify(cell.contents) ~= '' then return false end\n"
	"    end\n"
	"  end\n"
	"  return true\n"
	"end\n"
	"local function header_row(t)\n"
	"  if empty_head(t) and #t.bodies > 0 and #t.bodies[1].body > 0 then\n"
	"    t.head.rows = {t.bodies[1].body[1]}\n"
	"    table.remove(t.bodies[1].body, 1)\n"
	"  end\n"
	"  return t\n"
	"end\n"
	"local function web_only(el)\n"
	"  local t = el.target:lower()\n"
	"  if t:match('^https?://') or t:match('^mailto:') or t:match('^tel:') then return el end\n"
	"  return el.content\n"
	"end\n"
	"local dropped = 0\n"
	"local function drop_image() dropped = dropped + 1; return {} end\n"
	"local function note(doc)\n"
	"  if dropped == 0 or not doc.meta.maillage_document then return doc end\n"
	"  local s = dropped == 1 and '1 image du document d\\226\\128\\153origine n\\226\\128\\153est pas reprise'\n"
	"    or (dropped .. ' images du document d\\226\\128\\153origine ne sont pas reprises')\n"
	"  doc.blocks:insert(pandoc.Para({pandoc.Emph(pandoc.Inlines(s ..\n"
	"    ' : voir le document joint \\195\\160 la r\\195\\169union.'))}))\n"
	"  return doc\n"
	"end\n"
	"return {\n"
	"  {Blocks = word_lists, Table = header_row},\n"
	"  {Link = web_only, Image = drop_image,\n"
	"   Span = function(el) return el.content end, Div = function(el) return el.content end},\n"
	"  {Pandoc = note}\n"
	"}\n";

/* Writes n bytes of data into a file already removed from its folder and
 * kept open, which the programs this process starts read as /dev/fd/N
 * (path): nothing stays behind, even when the process is killed. path is
 * left empty when it cannot. */
static void hidden_file(const void *data, size_t n, char path[32])
{
	char name[64];
	const char *dir = getenv("TMPDIR");
	snprintf(name, sizeof(name), "%s/maillage-XXXXXX", dir && *dir && strlen(dir) < 30 ? dir
		 : "/tmp");
	int fd = mkstemp(name); /* without O_CLOEXEC: the children inherit it */
	if (fd >= 0)
		unlink(name);
	if (fd >= 0 && fd < 3) { /* a standard stream closed: its number is the child's own */
		int high = fcntl(fd, F_DUPFD, 3);
		close(fd);
		fd = high;
	}
	if (fd >= 0 && write(fd, data, n) == (ssize_t)n) {
		snprintf(path, 32, "/dev/fd/%d", fd);
		return;
	}
	if (fd >= 0)
		close(fd);
	*path = '\0';
}

static pthread_once_t filter_once = PTHREAD_ONCE_INIT;
static char filter_path[32];

/* Writes the paste filter to a hidden file, once per process. */
static void filter_write(void)
{
	hidden_file(paste_filter, sizeof(paste_filter) - 1, filter_path);
}

/* Returns the pandoc to run: MAILLAGE_PANDOC, else the one on the PATH. */
static const char *pandoc_path(void)
{
	const char *p = getenv("MAILLAGE_PANDOC");
	return p && *p ? p : "pandoc";
}

/* Returns the milliseconds left until deadline (a CLOCK_MONOTONIC time). */
static int left_ms(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
		       (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

/* Feeds in[0..n) to the child's stdin and gathers its stdout into out, up
 * to max bytes, until it closes it or timeout seconds pass; 0, or
 * CONVERT_LATE, CONVERT_TOO_LONG or -1. */
static int exchange(int to, int from, const char *in, size_t n, struct buf *out, int timeout,
		    size_t max)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	int why = -1;
	size_t sent = 0;
	if (n == 0) {
		close(to);
		to = -1;
	}
	for (;;) {
		struct pollfd p[2] = {{.fd = from, .events = POLLIN}, {.fd = to, .events = POLLOUT}};
		int ms = left_ms(&deadline);
		if (ms == 0 || poll(p, to >= 0 ? 2 : 1, ms) < 0) {
			if (errno == EINTR && ms)
				continue;
			why = ms == 0 ? CONVERT_LATE : -1;
			break;
		}
		if (to >= 0 && p[1].revents) {
			ssize_t w = write(to, in + sent, n - sent > 65536 ? 65536 : n - sent);
			if (w > 0)
				sent += (size_t)w;
			if (w < 0 || sent == n) {
				close(to);
				to = -1;
			}
		}
		if (p[0].revents) {
			char chunk[16384];
			ssize_t r = read(from, chunk, sizeof(chunk));
			if (r == 0) {
				if (to >= 0)
					close(to);
				return 0;
			}
			if (r < 0 || out->len + (size_t)r > max) {
				why = r < 0 ? -1 : CONVERT_TOO_LONG;
				break;
			}
			buf_append(out, chunk, (size_t)r);
		}
	}
	if (to >= 0)
		close(to);
	return why;
}

/* Runs argv with in[0..n) on its stdin, its stdout into out (max bytes,
 * timeout seconds); see convert_spawn. */
static int spawn(char *const argv[], const char *in, size_t n, struct buf *out, int timeout,
		 size_t max, int *status)
{
	int in_pipe[2], out_pipe[2];
	if (pipe2(in_pipe, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(out_pipe, O_CLOEXEC) < 0) {
		close(in_pipe[0]);
		close(in_pipe[1]);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in_pipe[0]);
	close(out_pipe[1]);
	if (err) {
		close(in_pipe[1]);
		close(out_pipe[0]);
		return 1;
	}
	/* a child that went away mid-input must not kill the server */
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	int rc = exchange(in_pipe[1], out_pipe[0], in, n, out, timeout, max);
	const struct timespec now = {0};
	while (sigtimedwait(&pipe_set, NULL, &now) > 0)
		; /* the SIGPIPE of a write to a child gone */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(out_pipe[0]);
	if (rc < 0)
		kill(pid, SIGKILL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (rc == 0 && *status == 127)
		return 1; /* posix_spawnp could not find it */
	return rc;
}

/* Runs argv; see convert.h. */
int convert_spawn(char *const argv[], struct buf *out, int timeout, size_t max, int *status)
{
	return spawn(argv, NULL, 0, out, timeout, max, status);
}

/* Runs argv with in[0..n) on its stdin, its stdout into out; 0 when it
 * ended well, 1 when it cannot be started, -1 when it failed. */
static int run(char *const argv[], const char *in, size_t n, struct buf *out)
{
	int status = 0;
	int rc = spawn(argv, in, n, out, CONVERT_TIMEOUT_S, CONVERT_MAX_OUTPUT, &status);
	return rc == 1 ? 1 : rc == 0 && status == 0 ? 0 : -1;
}

/* The reference documents of this process (the centre's styles), made
 * once from pandoc's own, in hidden files: ODT, then DOCX; empty when not
 * made. */
static pthread_once_t reference_once = PTHREAD_ONCE_INIT;
static char reference_paths[2][32];

/* Makes pandoc's reference document of format with rules applied, in a
 * hidden file (path); path is left empty when it cannot. */
static void reference_make(const char *format, const struct restyle_rule *rules, char path[32])
{
	struct buf def = {0}, styled = {0};
	char data[32];
	snprintf(data, sizeof(data), "reference.%s", format);
	char *argv[] = {(char *)pandoc_path(), "--print-default-data-file", data, NULL};
	*path = '\0';
	if (run(argv, NULL, 0, &def) == 0 && restyle_zip(def.data, def.len, rules, &styled) == 0)
		hidden_file(styled.data, styled.len, path);
	buf_free(&def);
	buf_free(&styled);
}

/* Makes the reference documents, once per process. */
static void reference_write(void)
{
	reference_make("odt", restyle_odt, reference_paths[0]);
	reference_make("docx", restyle_docx, reference_paths[1]);
}

/* Returns the reference document that styles a document of format:
 * MAILLAGE_REFERENCE_ODT or MAILLAGE_REFERENCE_DOCX when set (the
 * centre's own model), else the centre's styles made from pandoc's own;
 * NULL when there is none. */
static const char *reference_doc(const char *format)
{
	bool odt = strcmp(format, "odt") == 0;
	const char *own = getenv(odt ? "MAILLAGE_REFERENCE_ODT" : "MAILLAGE_REFERENCE_DOCX");
	if (own && *own)
		return own;
	pthread_once(&reference_once, reference_write);
	return *reference_paths[odt ? 0 : 1] ? reference_paths[odt ? 0 : 1] : NULL;
}

/* Writes a document of format from Markdown. */
int convert_markdown_to(const char *md, size_t n, const char *format, struct buf *out)
{
	bool html = strcmp(format, "html") == 0;
	if (n > CONVERT_MAX_INPUT || (strcmp(format, "odt") != 0 && strcmp(format, "docx") != 0 &&
				      !html))
		return -1;
	char to[16], reference[4200];
	snprintf(to, sizeof(to), "--to=%s", format);
	const char *style = html ? NULL : reference_doc(format);
	snprintf(reference, sizeof(reference), "--reference-doc=%s", style ? style : "");
	char *office[] = {(char *)pandoc_path(), "--from=markdown-raw_html", to, "--output=-",
			  style ? reference : NULL, NULL};
	/* a page of its own, its pictures inside, in French, titled by its first heading */
	char *page[] = {(char *)pandoc_path(), "--from=markdown-raw_html", "--to=html5",
			"--output=-", "--standalone", "--self-contained", "--metadata=lang=fr",
			"--wrap=none", "--shift-heading-level-by=-1", NULL};
	return run(html ? page : office, md, n, out);
}

/* Draws an SVG picture as PNG with rsvg-convert (see convert.h). */
int convert_svg_to_png(const char *svg, size_t n, struct buf *png)
{
	if (n > CONVERT_MAX_INPUT)
		return -1;
	const char *bin = getenv("MAILLAGE_RSVG");
	char *argv[] = {(char *)(bin && *bin ? bin : "rsvg-convert"), "--format=png", "--zoom=2",
			"--background-color=white", NULL};
	return run(argv, svg, n, png);
}

/* Converts a Word or LibreOffice document into Maillage's Markdown. */
int convert_document_to_markdown(const char *path, const char *format, struct buf *md)
{
	if (strcmp(format, "docx") != 0 && strcmp(format, "odt") != 0)
		return -1;
	pthread_once(&filter_once, filter_write);
	if (!*filter_path)
		return -1;
	char from[16];
	snprintf(from, sizeof(from), "--from=%s", format);
	char *argv[] = {(char *)pandoc_path(), from, "--to=gfm-raw_html", "--wrap=none",
			"--metadata=maillage_document:1", "--lua-filter", filter_path,
			(char *)path, NULL};
	return run(argv, NULL, 0, md);
}

/* Converts pasted HTML into the Markdown Maillage writes. */
int convert_html_to_markdown(const char *html, size_t n, struct buf *md)
{
	if (n > CONVERT_MAX_INPUT)
		return -1;
	pthread_once(&filter_once, filter_write);
	if (!*filter_path)
		return -1;
	char *argv[] = {(char *)pandoc_path(), "--from=html", "--to=gfm-raw_html", "--wrap=none",
			"--lua-filter", filter_path, NULL};
	return run(argv, html, n, md);
}
