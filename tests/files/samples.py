#!/usr/bin/env python3
"""samples.py DIR [--hostile] — writes into DIR one small document of
every type Maillage accepts, and the hostile ones it must refuse, all made
here (no binary is committed): pandoc writes the DOCX, ODT, PPTX and RTF,
zipfile the XLSX, ODS and ODP, and a few bytes the rest. Each accepted
document holds the word WORD (« passerelle ») so that the search can find
it. With --hostile, also DIR/hostile/: documents accepted whose text must
not be read to the end (encrypted, truncated, looping, a zip bomb of
1 GB, 10,000 pages)."""
import os
import shutil
import subprocess
import sys
import zipfile

WORD = "passerelle"
TEXT = f"# Réunion de la plateforme\n\nLa {WORD} vers l'emploi est présentée aux partenaires.\n"


def pdf_of(objects, trailer=b""):
    """Returns the bytes of a PDF of these objects (1: the catalog), with
    its cross-reference table; trailer adds to the trailer's dictionary."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, xref)
    return bytes(out)


def pdf(texts, kids=None):
    """Returns a PDF of one page per text (Helvetica, a line for each of
    its lines); kids replaces the page tree's list of pages (to make it
    loop)."""
    if isinstance(texts, str):
        texts = [texts]
    n = len(texts)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    refs = []
    for t in texts:
        lines = " T* ".join(f"({line}) Tj" for line in t.split("\n"))
        stream = f"BT /F1 9 Tf 11 TL 36 760 Td {lines} ET".encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (len(objects)))
        refs.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        kids if kids is not None else b" ".join(refs), n)
    return pdf_of(objects)


def odf(path, mime, body):
    """Writes an OpenDocument package of type mime whose content is body."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mime)  # first and stored, as ODF wants
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" '
                   'manifest:media-type="text/xml"/></manifest:manifest>')
        z.writestr("content.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
                   '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text='
                   '"urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
                   f'<office:body>{body}</office:body></office:document-content>')


def xlsx(path):
    """Writes a workbook with one sheet whose cell A1 holds WORD."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" '
                   f'ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
                   f'ContentType="{ct}.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets>'
                   '<sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                   f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/'
                   'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml",
                   f'<?xml version="1.0"?><sst {ns} count="1" uniqueCount="1"><si><t>{WORD}</t>'
                   '</si></sst>')
        z.writestr("xl/worksheets/sheet1.xml",
                   f'<?xml version="1.0"?><worksheet {ns}><sheetData><row r="1"><c r="A1" t="s">'
                   '<v>0</v></c></row></sheetData></worksheet>')


def pandoc(md, out):
    """Writes md into out with pandoc (its format from out's extension)."""
    subprocess.run(["pandoc", "-s", "-f", "markdown", "-M", "title=Compte rendu", "-o", out], input=md.encode(), check=True)


def main(d):
    os.makedirs(d, exist_ok=True)
    p = lambda name: os.path.join(d, name)
    open(p("ordre-du-jour.pdf"), "wb").write(pdf([f"Accueil des participants",
                                                  f"Ordre du jour : la {WORD} vers l'emploi"]))
    for ext in ("docx", "odt", "pptx", "rtf"):
        pandoc(TEXT, p(f"compte-rendu.{ext}"))
    xlsx(p("budget.xlsx"))
    odf(p("budget.ods"), "application/vnd.oasis.opendocument.spreadsheet",
        f"<office:spreadsheet><text:p>{WORD}</text:p></office:spreadsheet>")
    odf(p("presentation.odp"), "application/vnd.oasis.opendocument.presentation",
        f"<office:presentation><text:p>{WORD}</text:p></office:presentation>")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # a compound file's header
    for ext in ("doc", "xls", "ppt"):
        open(p(f"ancien.{ext}"), "wb").write(ole + ext.encode())
    open(p("notes.txt"), "w", encoding="utf-8").write(f"Notes : la {WORD} avance.\n")
    open(p("presences.csv"), "w", encoding="utf-8").write(f"organisation;{WORD}\nCAI;oui\n")
    open(p("notes.md"), "w", encoding="utf-8").write(TEXT)
    open(p("photo.png"), "wb").write(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89")
    open(p("photo.jpg"), "wb").write(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01"
                                     b"\x00\x01\x00\x00\xff\xd9")
    open(p("photo.webp"), "wb").write(b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00"
                                      b"\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
    open(p("photo.gif"), "wb").write(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff"
                                     b"\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01"
                                     b"\x00\x01\x00\x00\x02\x02D\x01\x00;")
    # what must be refused
    hostile = os.path.join(d, "refus")
    os.makedirs(hostile, exist_ok=True)
    h = lambda name: os.path.join(hostile, name)
    open(h("page.pdf"), "w").write("<!DOCTYPE html><html><body><script>alert(1)</script>"
                                   "</body></html>\n")
    open(h("dessin.svg"), "w").write('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/'
                                     'svg"><script>alert(1)</script></svg>\n')
    shutil.copyfile("/bin/true", h("programme.pdf"))
    open(h("vide.pdf"), "wb").close()
    with zipfile.ZipFile(h("archive.zip"), "w") as z:
        z.writestr("a.txt", "a")
    # accepted, but only ever served as a PDF under the sandbox
    open(os.path.join(d, "polyglotte.pdf"), "w").write(
        "%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n")


def hostile(d):
    """Writes the documents whose text must not be read to the end."""
    os.makedirs(d, exist_ok=True)
    p = lambda name: os.path.join(d, name)
    # a password: the standard security handler with a user key no empty
    # password opens
    enc = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32
           + b"> /P -4 >> /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ")
    whole = pdf(f"La {WORD} chiffrée")
    body = whole[:whole.index(b"trailer")]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    open(p("chiffre.pdf"), "wb").write(pdf_of(objects, enc))
    open(p("tronque.pdf"), "wb").write(body[:len(body) // 2])
    open(p("boucle.pdf"), "wb").write(pdf([f"La {WORD} en boucle"], kids=b"2 0 R"))
    open(p("dix-mille-pages.pdf"), "wb").write(pdf([f"Page {i} de la {WORD}" for i in range(10000)]))
    with zipfile.ZipFile(p("bombe.docx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Override PartName="/word/document.xml" ContentType="'
                   'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
                   '+xml"/></Types>')
        z.writestr("_rels/.rels",  # the third entry names the kind of document
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"/>')
        with z.open("word/document.xml", "w") as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="w"><w:body>')
            block = b" " * (1 << 20)
            for _ in range(1024):  # 1 GB once unzipped
                f.write(block)
            f.write(b"</w:body></w:document>")


if __name__ == "__main__":
    main(sys.argv[1])
    if "--hostile" in sys.argv[2:]:
        hostile(os.path.join(sys.argv[1], "hostile"))
