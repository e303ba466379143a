#!/usr/bin/env python3
# make-corpus.py: writes the generated part of the MIME test corpus
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every message is spelled out byte for byte (no email library that would
# "fix" what we want broken), and random data comes from a seeded generator,
# so running this again gives identical files. Hand-written messages are
# named hand-*.eml and are never touched here.
#
# Usage: tests/data/mime/make-corpus.py [OUTPUT-DIR]

import base64
import binascii
import os
import quopri
import random
import struct
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "input")

rng = random.Random(20231114)
files = {}

DATE = "Tue, 14 Nov 2023 09:30:00 +0100"


def b(text):
    return text.encode("utf-8") if isinstance(text, str) else text


def lf(data):
    """Normalises to bare LF, whatever the input used."""
    return b(data).replace(b"\r\n", b"\n")


def crlf(data):
    return lf(data).replace(b"\n", b"\r\n")


def add(name, data):
    assert name not in files, name
    assert not name.startswith("hand-")
    files[name] = b(data)


def headers(subject="Quarterly report", sender="Alice Example <alice@example.org>",
            to="Bob Example <bob@example.net>", date=DATE, msgid=None, extra=""):
    msgid = msgid or "<%s@example.org>" % subject.lower().replace(" ", "-")[:40]
    h = "From: %s\nTo: %s\nSubject: %s\n" % (sender, to, subject)
    if date is not None:
        h += "Date: %s\n" % date
    h += "Message-ID: %s\nMIME-Version: 1.0\n" % msgid
    return h + extra


def b64(data, width=76):
    encoded = base64.b64encode(b(data)).decode("ascii")
    return "\n".join(encoded[i:i + width] for i in range(0, len(encoded), width)) + "\n"


def qp(data):
    return quopri.encodestring(b(data)).decode("ascii")


def random_bytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
         "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.")

# --- Basics -----------------------------------------------------------------

add("simple-plain.eml", headers(
    subject="Lunch on Friday?",
    to="Bob Example <bob@example.net>, carol@EXAMPLE.com",
    msgid="<lunch-1@example.org>",
    extra=("Cc: \"Dave, the Boss\" <dave@Example.NET>\n"
           "Reply-To: Lunch Club <lunch@example.org>\n"
           "Sender: Mailer Daemon <mailer@example.org>\n"
           "In-Reply-To: <menu-7@example.net>\n"
           "References: <plan-1@example.net> <menu-7@example.net>\n"
           "List-Id: Lunch Club <lunch.example.org>\n"
           "Content-Type: text/plain; charset=utf-8\n"
           "Content-Transfer-Encoding: 8bit\n")) +
    "\nHi Bob,\n\nshall we try the new café on Friday? They have crêpes.\n\nAlice\n")

simple = headers(subject="Line endings", msgid="<eol@example.org>",
                 extra="Content-Type: text/plain; charset=us-ascii\n") + \
    "\nFirst line.\nSecond line.\n\nThird paragraph.\n"
add("line-endings-crlf.eml", crlf(simple))
add("line-endings-lf.eml", lf(simple))
add("line-endings-mixed.eml", lf(simple).replace(b"Subject", b"Subject", 1)
    .replace(b"\nTo:", b"\r\nTo:").replace(b"Second line.\n", b"Second line.\r\n")
    .replace(b"First line.\n", b"First line.\r"))

add("empty.eml", b"")
add("only-headers.eml", headers(subject="Nothing below", msgid="<only-headers@example.org>").rstrip("\n"))
add("no-body.eml", headers(subject="Empty body", msgid="<no-body@example.org>") + "\n")
add("not-a-message.eml", "Hello, this file is just text.\nIt has no headers at all.\n")
add("garbage-binary.eml", random_bytes(3000))
add("blank-line-first.eml", "\nFrom: alice@example.org\nSubject: After a blank line\n\nBody\n")
add("mbox-from-line.eml", "From alice@example.org Tue Nov 14 09:30:00 2023\n" +
    headers(subject="Saved from an mbox", msgid="<mbox@example.org>") + "\nBody of an mbox message.\n")
add("utf8-bom.eml", b"\xef\xbb\xbf" + b(headers(subject="Starts with a BOM", msgid="<bom@example.org>")) +
    b"\nThe editor that saved this put a byte order mark first.\n")

# --- Multipart structures ---------------------------------------------------

add("alternative-plain-html.eml", headers(
    subject="Your order has shipped", msgid="<order-42@shop.example>",
    sender="Shop <orders@shop.example>",
    extra="Content-Type: multipart/alternative; boundary=\"alt-1\"\n") + """
This is a multi-part message in MIME format.

--alt-1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hello Bob,

your order #42 has shipped and should arrive by Thursday. Tracking: =
ZX-1234-5678.

Thanks for shopping with us =E2=80=93 the Shop team
--alt-1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>Hello Bob,</p><p>your order <b>#42</b> has shipped.</p></body></html>
--alt-1--
""")

add("alternative-html-first.eml", headers(
    subject="HTML listed first", msgid="<html-first@example.org>",
    extra="Content-Type: multipart/alternative; boundary=\"b\"\n") + """
--b
Content-Type: text/html; charset=utf-8

<p>The <i>HTML</i> version.</p>
--b
Content-Type: text/plain; charset=utf-8

The plain version wins anyway.
--b--
""")

add("alternative-empty-plain.eml", headers(
    subject="Empty plain part", msgid="<empty-plain@example.org>",
    extra="Content-Type: multipart/alternative; boundary=\"b\"\n") + """
--b
Content-Type: text/plain; charset=utf-8


--b
Content-Type: text/html; charset=utf-8

<div>Only the HTML part has text.</div>
--b--
""")

NEWSLETTER = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Weekly News</title>
<style type="text/css">body { font-family: sans-serif; } .hidden { display: none; }</style>
<script>var tracking = "<p>not text</p>";</script>
</head>
<body>
<!-- preheader --><div class="hidden">&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;</div>
<h1>Weekly&nbsp;News</h1>
<p>Caf&eacute; prices rose 5&nbsp;% &mdash; but our &ldquo;Gr&uuml;&szlig;e&rdquo; offer stays at 3&euro;.</p>
<table><tr><td>Item</td><td>Price</td></tr><tr><td>Tea</td><td>&#8364;2</td></tr></table>
<ul><li>First&hellip;</li><li>Second &amp; last</li></ul>
<p>Fish &lt;&gt; chips &#x263A; &copy; 2023<br>Unsubscribe</p>
</body></html>
"""

add("html-only.eml", headers(
    subject="Weekly News", sender="News <news@example.com>", msgid="<news-1@example.com>",
    extra="List-Id: \"Weekly News\" <weekly.news.example.com>\n"
          "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n") +
    "\n" + b64(NEWSLETTER))

add("html-charset-in-meta.eml", headers(
    subject="Charset only in meta", msgid="<meta@example.org>",
    extra="Content-Type: text/html\nContent-Transfer-Encoding: 8bit\n").encode() + b"\n" +
    b"<html><head><meta charset=\"iso-8859-15\"></head><body>Prix: 10\xa4, Stra\xdfe</body></html>\n")

add("html-malformed.eml", headers(
    subject="Broken HTML", msgid="<broken-html@example.org>",
    extra="Content-Type: text/html; charset=utf-8\n") + """
<p>unclosed <b>bold <i>italic
<p>a < b and c > d & e &unknown; &#xZZ; &#99999999999; &#0;
<div title="a > b">attribute with a greater-than</div>
<img src="x.png" alt="unterminated>visible after tag
<!-- a comment that never ends
hidden
""")

add("alternative-with-calendar.eml", headers(
    subject="Invitation: Planning @ Wed 15 Nov 2023 10:00", msgid="<invite-1@example.org>",
    extra="Content-Type: multipart/alternative; boundary=\"cal\"\n") + """
--cal
Content-Type: text/plain; charset=utf-8

You are invited to Planning on Wednesday at 10:00.
--cal
Content-Type: text/html; charset=utf-8

<p>You are invited to <b>Planning</b> on Wednesday at 10:00.</p>
--cal
Content-Type: text/calendar; charset=utf-8; method=REQUEST

BEGIN:VCALENDAR
VERSION:2.0
METHOD:REQUEST
BEGIN:VEVENT
UID:planning-1@example.org
DTSTART:20231115T090000Z
DTEND:20231115T100000Z
SUMMARY:Planning
END:VEVENT
END:VCALENDAR
--cal--
""")

add("outlook-invite.eml", headers(
    subject="Project sync", sender="Organizer <organizer@corp.example>",
    msgid="<outlook-invite@corp.example>",
    extra="Content-Type: multipart/mixed; boundary=\"_mixed_\"\n") + """
--_mixed_
Content-Type: multipart/alternative; boundary="_alt_"

--_alt_
Content-Type: text/plain; charset="us-ascii"

When: Thursday, 16 November 2023 14:00-15:00.
--_alt_
Content-Type: text/calendar; charset="utf-8"; method=REQUEST
Content-Transfer-Encoding: base64

""" + b64("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Project sync\r\n"
          "END:VEVENT\r\nEND:VCALENDAR\r\n") + """
--_alt_--

--_mixed_
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

""" + b64("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n") + """
--_mixed_--
""")

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

add("related-inline-cid.eml", headers(
    subject="Photo from the trip", msgid="<photo@example.org>",
    extra="Content-Type: multipart/alternative; boundary=\"outer\"\n") + """
--outer
Content-Type: text/plain; charset=utf-8

See the photo below.
--outer
Content-Type: multipart/related; boundary="rel"; type="text/html"

--rel
Content-Type: text/html; charset=utf-8

<p>See the photo below.</p><img src="cid:dot.png@example.org">
--rel
Content-Type: image/png; name="dot.png"
Content-Transfer-Encoding: base64
Content-ID: <dot.png@example.org>
Content-Disposition: inline; filename="dot.png"

""" + b64(PNG) + """--rel
Content-Type: image/gif
Content-Transfer-Encoding: base64
Content-ID: <spacer@example.org>

R0lGODlhAQABAAAAACw=
--rel--
--outer--
""")

def nest(depth, leaf):
    if depth == 0:
        return leaf
    return ("Content-Type: multipart/mixed; boundary=\"n%d\"\n\n--n%d\n%s\n--n%d--\n"
            % (depth, depth, nest(depth - 1, leaf), depth))


add("deep-nesting.eml", headers(subject="Russian dolls", msgid="<dolls@example.org>") +
    nest(40, "Content-Type: text/plain\n\nThe innermost doll.\n"))
add("too-deep-nesting.eml", headers(subject="Too deep", msgid="<too-deep@example.org>") +
    nest(150, "Content-Type: text/plain\n\nNobody reads this deep.\n"))

add("nested-mixed.eml", headers(
    subject="Mixed inside mixed", msgid="<nested-mixed@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"a\"\n") + """
--a
Content-Type: multipart/mixed; boundary="a-b"

--a-b
Content-Type: multipart/alternative; boundary="a-b-c"

--a-b-c
Content-Type: text/plain; charset=utf-8

Part one of the body.
--a-b-c
Content-Type: text/html; charset=utf-8

<p>Part one of the body.</p>
--a-b-c--
--a-b
Content-Type: text/x-diff; charset=utf-8
Content-Disposition: inline

--- a/file
+++ b/file
@@ -1 +1 @@
-old
+new
--a-b--
--a
Content-Type: text/plain; charset=utf-8

Part two of the body, after the patch.
--a
Content-Type: application/octet-stream; name="data.bin"
Content-Transfer-Encoding: base64

AAECAwQFBgcICQ==
--a--
""")

add("missing-final-boundary.eml", headers(
    subject="Truncated multipart", msgid="<truncated@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"cut\"\n") + """
--cut
Content-Type: text/plain

The text arrived.
--cut
Content-Type: application/pdf; name="cut.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfs
""")

add("wrong-boundary.eml", headers(
    subject="Boundary mismatch", msgid="<mismatch@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"declared\"\n") + """
--actual
Content-Type: text/plain

This text sits behind a boundary that was never declared.
--actual--
""")

add("missing-boundary-parameter.eml", headers(
    subject="No boundary parameter", msgid="<no-boundary@example.org>",
    extra="Content-Type: multipart/mixed\n") + """
--x
Content-Type: text/plain

Text behind an undeclared boundary.
--x--
""")

add("boundary-prefix.eml", headers(
    subject="Boundary is a prefix of another", msgid="<prefix@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"b\"\n") + """
--b
Content-Type: multipart/alternative; boundary="b2"

--b2
Content-Type: text/plain

Inner plain.
--b2
Content-Type: text/html

<p>Inner html</p>
--b2--
--b
Content-Type: text/csv; name="numbers.csv"

1,2,3
--b--
""")

add("preamble-epilogue.eml", headers(
    subject="Preamble and epilogue", msgid="<preamble@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"p\"\n") + """
If you can read this, your mail client does not understand MIME.
--p
Content-Type: text/plain

The real text.
--p--
This epilogue is ignored.
""")

add("empty-multipart.eml", headers(
    subject="No parts at all", msgid="<no-parts@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"e\"\n") + "\n--e--\n")

PDF = b"%PDF-1.4\n" + random_bytes(12345 - 9)
add("attachment-pdf.eml", headers(
    subject="Invoice 2023-11", sender="Billing <billing@example.com>", msgid="<invoice@example.com>",
    extra="Content-Type: multipart/mixed; boundary=\"inv\"\n") + """
--inv
Content-Type: text/plain; charset=utf-8

Please find the invoice attached.
--inv
Content-Type: application/pdf; name="invoice-2023-11.pdf"
Content-Disposition: attachment; filename="invoice-2023-11.pdf"
Content-Transfer-Encoding: base64

""" + b64(PDF) + "--inv--\n")

add("attachment-crlf-base64.eml", crlf(headers(
    subject="CRLF base64", msgid="<crlf-b64@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"c\"\n") + """
--c
Content-Type: text/plain

See attachment.
--c
Content-Type: application/octet-stream; name="blob.bin"
Content-Transfer-Encoding: base64

""" + b64(random_bytes(1000), width=64) + "--c--\n"))

CSV = "name;city\nJürgen;Köln\nZoë;Zürich\n" * 3 + "long line " * 12 + "\n"
add("attachment-quoted-printable.eml", headers(
    subject="QP attachment", msgid="<qp-attach@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"q\"\n") + """
--q
Content-Type: text/plain

The list is attached.
--q
Content-Type: text/csv; charset=utf-8; name="people.csv"
Content-Disposition: attachment; filename=people.csv
Content-Transfer-Encoding: quoted-printable

""" + qp(CSV) + "--q--\n")

UU = b"uuencoded payload\n" * 4
add("attachment-uuencode.eml", headers(
    subject="Old-school uuencode", msgid="<uuencode@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"u\"\n") + """
--u
Content-Type: text/plain

Attached the old way.
--u
Content-Type: application/octet-stream; name="old.txt"
Content-Transfer-Encoding: x-uuencode

begin 644 old.txt
""" + "".join(binascii.b2a_uu(UU[i:i + 45], backtick=True).decode()
                              for i in range(0, len(UU), 45)) + "`\nend\n--u--\n")

add("attachment-no-filename.eml", headers(
    subject="Unnamed attachment", msgid="<unnamed@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"n\"\n") + """
--n
Content-Type: text/plain

Body.
--n
Content-Type: application/zip
Content-Transfer-Encoding: base64

UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==
--n--
""")

add("rfc2231-continuations.eml", headers(
    subject="RFC 2231 continuations", msgid="<rfc2231-cont@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"r\"\n") + """
--r
Content-Type: text/plain

Three attachments with international names.
--r
Content-Type: application/pdf;
 name*0*=utf-8''Sitzungsprotokoll%20f%C3%BCr%20den;
 name*1*=%20Vorstand.pdf
Content-Disposition: attachment;
 filename*0*=utf-8''Sitzungsprotokoll%20f%C3%BCr%20den;
 filename*1*=%20Vorstand%20%E2%80%93%20;
 filename*2="November.pdf"
Content-Transfer-Encoding: base64

JVBERi0=
--r
Content-Type: text/plain; name*=iso-8859-1'de'Gr%FC%DFe%20aus%20K%F6ln.txt
Content-Disposition: attachment; filename*=iso-8859-1'de'Gr%FC%DFe%20aus%20K%F6ln.txt

Viele Gruesse.
--r
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*0="plain "; filename*1="continued.bin"

x
--r--
""")

add("filename-rfc2047-in-quotes.eml", headers(
    subject="Encoded-word filenames", msgid="<rfc2047-filename@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"f\"\n") + """
--f
Content-Type: text/plain

Outlook-style filenames.
--f
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
 name="=?utf-8?B?QmVyaWNodCDDnGJlcnNpY2h0LmRvY3g=?="
Content-Disposition: attachment;
 filename="=?utf-8?B?QmVyaWNodCDDnGJlcnNpY2h0LmRvY3g=?="
Content-Transfer-Encoding: base64

UEsDBA==
--f
Content-Type: image/jpeg; name="=?iso-8859-1?Q?F=F6rster_Sommerfest.jpg?="
Content-Disposition: attachment
Content-Transfer-Encoding: base64

/9j/4AAQ
--f--
""")

add("filename-8bit.eml", headers(
    subject="Raw 8-bit filenames", msgid="<8bit-filename@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"e\"\n").encode() + b"\n" +
    b"--e\nContent-Type: text/plain; charset=iso-8859-1\n\nAnh\xe4nge.\n"
    b"--e\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"\xc3\x9cbersicht.pdf\"\n"
    b"Content-Transfer-Encoding: base64\n\nJVBERi0=\n"
    b"--e\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"M\xe4rz.pdf\"\n"
    b"Content-Transfer-Encoding: base64\n\nJVBERi0=\n--e--\n")


def tnef():
    def attr(level, attr_id, data):
        checksum = sum(data) & 0xFFFF
        return struct.pack("<BII", level, attr_id, len(data)) + data + struct.pack("<H", checksum)

    out = struct.pack("<IH", 0x223E9F78, 0x0123)
    out += attr(1, 0x00089006, struct.pack("<I", 0x00010000))              # attTnefVersion
    out += attr(1, 0x00069007, struct.pack("<II", 1252, 0))               # attOemCodepage
    out += attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")               # attMessageClass
    out += attr(2, 0x00069002, struct.pack("<HIIHHI", 1, 0xFFFFFFFF, 0, 0, 0, 0))  # attAttachRendData
    out += attr(2, 0x00018010, b"hello.txt\0")                             # attAttachTitle
    out += attr(2, 0x0006800F, b"Hello from inside a TNEF container.\r\n")  # attAttachData
    return out


TNEF = tnef()
add("tnef-winmail.eml", headers(
    subject="Meeting notes", sender="Outlook User <user@corp.example>",
    msgid="<tnef@corp.example>",
    extra="Content-Type: multipart/mixed; boundary=\"t\"\n") + """
--t
Content-Type: text/plain; charset="us-ascii"

Notes attached.
--t
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="winmail.dat"

""" + b64(TNEF) + "--t--\n")

add("tnef-unnamed.eml", headers(
    subject="TNEF without a name", msgid="<tnef-unnamed@corp.example>",
    extra="Content-Type: multipart/mixed; boundary=\"t\"\n") + """
--t
Content-Type: text/plain

Exchange forgot the name.
--t
Content-Type: application/vnd.ms-tnef
Content-Transfer-Encoding: base64

""" + b64(TNEF) + "--t--\n")

INNER = lf(headers(subject="Original question", sender="Carol <carol@example.com>",
                   msgid="<original@example.com>",
                   extra="Content-Type: text/plain; charset=utf-8\n") +
           "\nWhat time is the meeting?\n")
add("message-rfc822.eml", headers(
    subject="Fwd: Original question", msgid="<fwd-1@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"fwd\"\n") + "\n" + """
--fwd
Content-Type: text/plain; charset=utf-8

See the message below.
--fwd
Content-Type: message/rfc822

""" + INNER.decode() + "--fwd--\n")

INNER_CRLF = crlf(INNER)
add("message-rfc822-crlf.eml", crlf(headers(
    subject="Fwd: CRLF inner", msgid="<fwd-crlf@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"fwd\"\n") + """
--fwd
Content-Type: text/plain

Forwarded with CRLF line endings.
--fwd
Content-Type: message/rfc822
Content-Disposition: attachment; filename="question.eml"

""" + INNER.decode() + "--fwd--\n"))

LEVEL3 = lf(headers(subject="Level 3", msgid="<level3@example.org>") + "\nDeepest.\n")
LEVEL2 = lf(headers(subject="Level 2", msgid="<level2@example.org>",
                    extra="Content-Type: multipart/mixed; boundary=\"l2\"\n") +
            "\n--l2\nContent-Type: text/plain\n\nLevel 2 text.\n--l2\nContent-Type: message/rfc822\n\n" +
            LEVEL3.decode() + "--l2--\n")
add("message-rfc822-nested.eml", headers(
    subject="Fwd: Fwd: nested", msgid="<level1@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"l1\"\n") +
    "\n--l1\nContent-Type: text/plain\n\nLevel 1 text.\n--l1\nContent-Type: message/rfc822\n\n" +
    LEVEL2.decode() + "--l1--\n")

add("message-rfc822-base64.eml", headers(
    subject="Base64 encoded message/rfc822", msgid="<rfc822-b64@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"m\"\n") + """
--m
Content-Type: text/plain

Some gateways encode attached messages.
--m
Content-Type: message/rfc822
Content-Transfer-Encoding: base64

""" + b64(INNER) + "--m--\n")

add("message-rfc822-no-subject.eml", headers(
    subject="Fwd:", msgid="<fwd-nosubject@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"m\"\n") + """
--m
Content-Type: text/plain

An attached message without a subject.
--m
Content-Type: message/rfc822
Content-Disposition: inline

From: someone@example.com
Date: Mon, 13 Nov 2023 08:00:00 +0000

No subject here.
--m--
""")

add("message-rfc822-top-level.eml", headers(
    subject="Wrapper", msgid="<wrapper@example.org>",
    extra="Content-Type: message/rfc822\n") + "\n" + INNER.decode())

add("multipart-digest.eml", headers(
    subject="Digest, Vol 12, Issue 3", sender="list-request@lists.example.org",
    msgid="<digest@lists.example.org>",
    extra="List-Id: <devel.lists.example.org>\nContent-Type: multipart/mixed; boundary=\"d1\"\n") + """
--d1
Content-Type: text/plain

Today's Topics: 1. First post 2. Second post
--d1
Content-Type: multipart/digest; boundary="d2"

--d2

From: one@example.org
Subject: First post

One.
--d2

From: two@example.org
Subject: Second post

Two.
--d2--
--d1--
""")

add("multipart-signed.eml", headers(
    subject="Signed message", msgid="<signed@example.org>",
    extra="Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"s\"\n") + """
--s
Content-Type: text/plain; charset=utf-8

This text is signed.
--s
Content-Type: application/pgp-signature; name="signature.asc"
Content-Disposition: attachment; filename="signature.asc"

-----BEGIN PGP SIGNATURE-----

iQEzBAEBCAAdFiEE
-----END PGP SIGNATURE-----
--s--
""")

add("multipart-encrypted.eml", headers(
    subject="Encrypted message", msgid="<encrypted@example.org>",
    extra="Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"e\"\n") + """
--e
Content-Type: application/pgp-encrypted

Version: 1
--e
Content-Type: application/octet-stream; name="encrypted.asc"

-----BEGIN PGP MESSAGE-----

hQEMA5
-----END PGP MESSAGE-----
--e--
""")

add("delivery-status.eml", headers(
    subject="Undelivered Mail Returned to Sender", sender="MAILER-DAEMON@mx.example.net (Mail Delivery System)",
    msgid="<bounce@mx.example.net>",
    extra="Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n") + """
--r
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@example.net>: host mx.example.net said: 550 5.1.1 User unknown
--r
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Final-Recipient: rfc822; nobody@example.net
Action: failed
Status: 5.1.1
--r
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Alice Example <alice@example.org>
Subject: Hello
--r--
""")

add("inline-image-disposition.eml", headers(
    subject="Inline picture without cid", msgid="<inline-nocid@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"i\"\n") + """
--i
Content-Type: text/plain

Look:
--i
Content-Type: image/png
Content-Disposition: inline; filename="dot.png"
Content-Transfer-Encoding: base64

""" + b64(PNG) + """--i
Content-Type: text/plain
Content-Disposition: inline; filename="notes.txt"

Notes shown inline but still a file.
--i--
""")

add("mailing-list-footer.eml", headers(
    subject="[devel] Build broken on main", sender="Eve <eve@example.org>",
    msgid="<build-broken@example.org>", to="devel@lists.example.org",
    extra="List-Id: Developers <devel.lists.example.org>\n"
          "Content-Type: multipart/mixed; boundary=\"mm\"\n") + """
--mm
Content-Type: text/plain; charset=utf-8

The build on main fails since this morning.
--mm
Content-Type: text/plain; charset="us-ascii"
Content-Disposition: inline

_______________________________________________
devel mailing list
devel@lists.example.org
--mm--
""")

# --- Charsets in headers and bodies ------------------------------------------

add("header-latin1-labelled-utf8.eml",
    b"From: J\xf6rg M\xfcller <joerg@example.de>\nTo: bob@example.net\n"
    b"Subject: Gr\xfc\xdfe aus K\xf6ln\nDate: " + b(DATE) + b"\nMessage-ID: <latin1-hdr@example.de>\n"
    b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    b"Der Text ist UTF-8: Gr\xc3\xbc\xc3\x9fe.\n")

add("header-utf8-unlabelled.eml",
    b"From: \xc3\x89milie Dubois <emilie@example.fr>\nTo: bob@example.net\n"
    b"Subject: R\xc3\xa9union d\xc3\xa9plac\xc3\xa9e \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac\n"
    b"Date: " + b(DATE) + b"\nMessage-ID: <utf8-hdr@example.fr>\n\n"
    b"Pas de Content-Type, mais de l'UTF-8: \xc3\xa9t\xc3\xa9.\n")

add("header-windows-1252.eml",
    b"From: \x93Smart\x94 Quotes <quotes@example.com>\nTo: bob@example.net\n"
    b"Subject: \x93Price\x94 is 5\x80 \x96 that\x92s all\x85\nDate: " + b(DATE) +
    b"\nMessage-ID: <cp1252-hdr@example.com>\nMIME-Version: 1.0\n"
    b"Content-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n"
    b"It costs 5\x80 \x96 \x93really\x94.\n")

add("iso-2022-jp.eml",
    b"From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>\nTo: bob@example.net\n"
    b"Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\nDate: " + b(DATE) +
    b"\nMessage-ID: <iso2022@example.jp>\nMIME-Version: 1.0\n"
    b"Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n"
    + "日本語のテキストです。\n".encode("iso-2022-jp"))

add("koi8-r.eml",
    b"From: " + "Иван Петров".encode("koi8-r") + b" <ivan@example.ru>\nTo: bob@example.net\n"
    b"Subject: " + "Привет из Москвы".encode("koi8-r") + b"\nDate: " + b(DATE) +
    b"\nMessage-ID: <koi8@example.ru>\nMIME-Version: 1.0\n"
    b"Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n"
    + "Добрый день! Как дела?\n".encode("koi8-r"))

add("koi8-r-encoded-word.eml", headers(
    subject="=?koi8-r?B?" + base64.b64encode("Отчёт за ноябрь".encode("koi8-r")).decode() + "?=",
    msgid="<koi8-ew@example.ru>",
    extra="Content-Type: text/plain; charset=koi8-r\n").encode() + b"\n" + "Отчёт готов.\n".encode("koi8-r"))

add("body-latin1-labelled-utf8.eml", headers(
    subject="Latin-1 body labelled UTF-8", msgid="<latin1-body@example.de>",
    extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n").encode() + b"\n" +
    b"Sch\xf6ne Gr\xfc\xdfe aus M\xfcnchen, \xe0 bient\xf4t.\n")

add("body-utf8-labelled-latin1.eml", headers(
    subject="UTF-8 body labelled Latin-1", msgid="<utf8-body@example.de>",
    extra="Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n").encode() + b"\n" +
    "Schöne Grüße aus München – bis bald.\n".encode("utf-8"))

add("body-unknown-charset.eml", headers(
    subject="Unknown charset", msgid="<unknown-charset@example.org>",
    extra="Content-Type: text/plain; charset=x-user-defined-nonsense\nContent-Transfer-Encoding: 8bit\n").encode() +
    b"\n" + b"Caf\xe9 cr\xe8me for \x80 3.\n")

add("body-utf16.eml", headers(
    subject="UTF-16 body", msgid="<utf16@example.org>",
    extra="Content-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n") + "\n" +
    b64("Grüße in UTF-16 with a BOM.\n".encode("utf-16")))

add("body-base64-latin1.eml", headers(
    subject="Base64 Latin-1 body", msgid="<b64-latin1@example.org>",
    extra="Content-Type: text/plain; charset=\"ISO-8859-1\"\nContent-Transfer-Encoding: base64\n") + "\n" +
    b64("Ça coûte 10 € – d'accord?\n".encode("cp1252")))

add("body-quoted-printable.eml", headers(
    subject="Quoted-printable body", msgid="<qp-body@example.org>",
    extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n") + """
This is a long line that was wrapped by the quoted-printable encoder because =
it is longer than seventy-six characters. Umlauts: =C3=A4=C3=B6=C3=BC. Equals=
 sign: =3D. Soft break at the very end=
""")

add("body-qp-malformed.eml", headers(
    subject="Broken quoted-printable", msgid="<qp-broken@example.org>",
    extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n") + """
Bad escapes: =ZZ =4 =G1 and a lone = in the middle, ends with =""")

add("body-base64-garbage.eml", headers(
    subject="Base64 with garbage", msgid="<b64-garbage@example.org>",
    extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n") + """
SGVsbG8g!!d29y*bGQs
IGJyb2tlbiBi YXNlNjQ
""")

add("transfer-encoding-unknown.eml", headers(
    subject="Unknown transfer encoding", msgid="<x-cte@example.org>",
    extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: x-gzip64\n") +
    "\nThe encoding is unknown, so the text is taken as it is.\n")

add("content-type-garbage.eml", headers(
    subject="Garbage content type", msgid="<ct-garbage@example.org>",
    extra="Content-Type: ;;; charset==;\n") + "\nThe body should still be text.\n")

add("missing-content-type-8bit.eml",
    b"From: alice@example.org\nSubject: No MIME headers\nDate: " + b(DATE) +
    b"\nMessage-ID: <no-mime@example.org>\n\nPlain 8-bit Latin-1 without any label: na\xefve fa\xe7ade.\n")

add("format-flowed.eml", headers(
    subject="Flowed text", msgid="<flowed@example.org>",
    extra="Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n") + """
This paragraph was written as one line and then wrapped by the mail client 
at seventy-two characters with a trailing space.
""")

# --- RFC 2047 edge cases ------------------------------------------------------

def ew_split_utf8(text, cut):
    raw = text.encode("utf-8")
    return "=?UTF-8?B?%s?= =?UTF-8?B?%s?=" % (base64.b64encode(raw[:cut]).decode(),
                                               base64.b64encode(raw[cut:]).decode())


add("rfc2047-split-multibyte.eml", headers(
    subject=ew_split_utf8("Grüße aus Köln", 3), msgid="<split-mb@example.org>",
    sender="=?UTF-8?Q?J=C3=B6rg_?= =?UTF-8?Q?M=C3=BCller?= <joerg@example.de>") + "\nBody.\n")

# Thunderbird pads every encoded word; GMime 3.2.13 stops at the padding.
add("rfc2047-padded-words.eml", headers(
    subject="=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=", msgid="<padded-words@example.org>",
    sender="=?UTF-8?B?U3NzxZsgTGHFgmFsYQ==?= =?UTF-8?B?bGFsYQ==?= <s@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"p\"\n") + """
--p
Content-Type: text/plain

Padded encoded words everywhere.
--p
Content-Type: application/pdf
Content-Disposition: attachment;
 filename="=?UTF-8?B?U3NzxZsgTGHFgmFsYQ==?= =?UTF-8?B?bGFsYS5wZGY=?="
Content-Transfer-Encoding: base64

JVBERi0=
--p--
""")

add("rfc2047-adjacent-whitespace.eml", headers(
    subject="=?utf-8?q?one?= =?utf-8?q?two?=\n\t=?utf-8?q?three?= four =?utf-8?q?five?=",
    msgid="<adjacent@example.org>") + "\nBody.\n")

add("rfc2047-invalid-base64.eml", headers(
    subject="Broken: =?utf-8?B?SGVsbG8gV29y!!bGQ?= end", msgid="<bad-b64-ew@example.org>") + "\nBody.\n")

add("rfc2047-unknown-charset.eml", headers(
    subject="=?x-klingon?Q?Caf=E9_qapla=27?= and =?utf-8?q?caf=C3=A9?=",
    msgid="<unknown-cs-ew@example.org>") + "\nBody.\n")

add("rfc2047-q-underscore.eml", headers(
    subject="=?iso-8859-1?Q?Gr=FC=DFe_aus_K=F6ln_=5F_underscore?=", msgid="<q-underscore@example.org>",
    sender="=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>") + "\nBody.\n")

add("rfc2047-malformed.eml", headers(
    subject="=?utf-8?q?unterminated =??q?nocharset?= =?utf-8?x?badenc?= =?utf-8?q??= ok",
    msgid="<malformed-ew@example.org>") + "\nBody.\n")

add("rfc2047-inside-word.eml", headers(
    subject="Re:=?utf-8?Q?Caf=C3=A9?=Menu and (=?utf-8?Q?comment?=)", msgid="<inside-word@example.org>") +
    "\nBody.\n")

add("rfc2047-mixed-charsets.eml", headers(
    subject="=?iso-8859-1?q?caf=E9?= =?koi8-r?b?" + base64.b64encode("чай".encode("koi8-r")).decode() +
            "?= =?Shift_JIS?B?" + base64.b64encode("お茶".encode("shift_jis")).decode() + "?=",
    msgid="<mixed-cs@example.org>",
    to="\"=?utf-8?Q?Zo=C3=AB?=\" <zoe@example.org>, =?utf-8?b?8J+YgA==?= <emoji@example.org>") +
    "\nBody.\n")

add("rfc2047-long-folded.eml", headers(
    subject="\n ".join("=?utf-8?B?%s?=" % base64.b64encode(("Überlänge Teil %d " % i).encode()).decode()
                       for i in range(30)),
    msgid="<long-folded@example.org>") + "\nBody.\n")

# --- Addresses ------------------------------------------------------------------

add("addresses-edge-cases.eml",
    "From: \"Last, First\" <First.Last@Example.COM>\n"
    "To: undisclosed-recipients:;\n"
    "Cc: Team: anna@example.org, \"Ben B.\" <ben@example.org>;, (comment) carl@example.org (Carl),\n"
    "  <dora@example.org>, postmaster, \"broken <quote@example.org>, eve@xn--bcher-kva.example\n"
    "Reply-To: <>, reply@example.org\n"
    "Sender: =?utf-8?q?Liste?= <owner@lists.example.org>\n"
    "Subject: Address edge cases\nDate: " + DATE + "\nMessage-ID: <addresses@example.org>\n\nBody.\n")

add("from-missing.eml", "To: bob@example.net\nSubject: Who sent this?\nDate: " + DATE +
    "\nMessage-ID: <no-from@example.org>\n\nNo From header.\n")

add("from-multiple.eml", "From: first@example.org, second@example.org\nFrom: third@example.org\n"
    "To: bob@example.net\nTo: carol@example.net\nSubject: Two From headers\nDate: " + DATE +
    "\nMessage-ID: <two-from@example.org>\n\nBody.\n")

add("header-8bit-address-latin1.eml",
    b"From: \"Fran\xe7ois L\xe9ger\" <francois@example.fr>\nTo: \"Zo\xeb\" <zoe@example.org>\n"
    b"Subject: Caf\xe9\nDate: " + b(DATE) + b"\nMessage-ID: <latin1-addr@example.fr>\n"
    b"Content-Type: text/plain; charset=iso-8859-1\n\nCaf\xe9.\n")

# --- Threading headers --------------------------------------------------------

add("references-messy.eml", headers(
    subject="Re: messy threading headers", msgid="no-angle-brackets@example.org",
    extra="In-Reply-To: Your message of Mon, 13 Nov 2023 <parent@example.org> (Alice)\n"
          "References: <root@example.org>\n <a@example.org>\tbroken-id@example.org <b@example.org>\n"
          " <parent@example.org>\n") + "\nBody.\n")

add("in-reply-to-multiple.eml", headers(
    subject="Re: Re: two parents", msgid="< spaced@example.org >",
    extra="In-Reply-To: <first-parent@example.org> <second-parent@example.org>\n") + "\nBody.\n")

add("list-id-variants.eml", headers(
    subject="List-Id without brackets", msgid="<list-bare@example.org>",
    extra="List-Id: bare.list.example.org\n") + "\nBody.\n")

add("duplicate-headers.eml",
    "From: alice@example.org\nSubject: First subject\nSubject: Second subject\nDate: " + DATE +
    "\nDate: Wed, 01 Jan 2020 00:00:00 +0000\nMessage-ID: <dup-1@example.org>\nMessage-ID: <dup-2@example.org>\n\nBody.\n")

add("header-weird-folding.eml",
    "From: alice@example.org\nSubject: folded\n\tover\n  three lines\n"
    "X-No-Colon-Line\nDate: " + DATE + "\nMessage-ID: <folding@example.org>\n\nBody after odd headers.\n")

add("header-long-name.eml", "X-" + "Very" * 2000 + "-Long-Name: value\nFrom: alice@example.org\n"
    "Subject: Long header name\nDate: " + DATE + "\nMessage-ID: <long-name@example.org>\n\nBody.\n")

# --- Giant headers and lines ------------------------------------------------------

refs = "".join("\n <%06d.%08x@lists.example.org>" % (i, rng.getrandbits(32)) for i in range(5800))
add("giant-references.eml", headers(
    subject="Re: a very long thread", msgid="<giant-refs@lists.example.org>",
    extra="In-Reply-To: <005799.parent@lists.example.org>\nReferences:" + refs + "\n") +
    "\nThe thread goes on and on.\n")

received = "".join("Received: from r%d.example.net by r%d.example.net; %s\n" % (i + 1, i, DATE)
                   for i in range(5000))
add("received-5000.eml", received + headers(subject="Five thousand hops", msgid="<hops@example.org>") +
    "\nA message that went around the world.\n")

add("long-subject.eml", headers(subject="Long " * 20000, msgid="<long-subject@example.org>") + "\nBody.\n")

line = ("abcdefghij " * 95326)[:1048576]
add("one-megabyte-line.eml", headers(subject="One long line", msgid="<long-line@example.org>",
                                     extra="Content-Type: text/plain; charset=us-ascii\n") +
    "\n" + line + "\n")

add("many-attachments.eml", headers(
    subject="Three hundred attachments", msgid="<many@example.org>",
    extra="Content-Type: multipart/mixed; boundary=\"m\"\n") + "\n--m\nContent-Type: text/plain\n\nMany files.\n" +
    "".join("--m\nContent-Type: application/octet-stream; name=\"f%03d.bin\"\n"
            "Content-Transfer-Encoding: base64\n\nAAAA\n" % i for i in range(300)) + "--m--\n")

# --- NUL bytes ----------------------------------------------------------------

add("nul-in-body.eml", headers(subject="NUL in body", msgid="<nul-body@example.org>",
                               extra="Content-Type: text/plain; charset=utf-8\n").encode() +
    b"\n" + b"Before\x00after the NUL.\nSecond\x00\x00line.\n")

add("nul-in-headers.eml",
    b"From: ali\x00ce@example.org\nTo: bob@example.net\nSubject: Before\x00After\n"
    b"X-Nul\x00Name: value\nDate: " + b(DATE) + b"\nMessage-ID: <nul-header@example.org>\n\nBody.\n")

# --- Dates ----------------------------------------------------------------------

def dated(name, date, note):
    add(name, headers(subject="Date: %s" % (date if date is not None else "missing"),
                      msgid="<%s@example.org>" % name[:-4], date=date) + "\n" + note + "\n")


dated("date-missing.eml", None, "No Date header.")
dated("date-1900.eml", "Mon, 01 Jan 1900 00:00:00 +0000", "A date from 1900.")
dated("date-1970.eml", "Thu, 01 Jan 1970 00:00:00 +0000", "The epoch.")
dated("date-2099.eml", "Thu, 31 Dec 2099 23:59:59 +0000", "A date from 2099.")
dated("date-iso8601.eml", "2023-11-14T09:30:00Z", "ISO 8601 from a script.")
dated("date-asctime.eml", "Tue Nov 14 09:30:00 2023", "asctime() format.")
dated("date-two-digit-year.eml", "Tue, 14 Nov 23 09:30:00 GMT", "Two-digit year.")
dated("date-named-zone.eml", "Tue, 14 Nov 2023 01:30:00 PST", "A named time zone.")
dated("date-no-weekday-no-seconds.eml", "14 Nov 2023 09:30 +0100", "No weekday and no seconds.")
dated("date-garbage.eml", "yesterday around noon", "Not a date at all.")
dated("date-extreme-offset.eml", "Tue, 14 Nov 2023 23:30:00 +1400", "The largest UTC offset.")
dated("date-tomorrow.eml", "Wed, 15 Nov 2023 12:00:00 +0000", "Less than a day ahead: fine.")

# --- Snippets -------------------------------------------------------------------

add("reply-with-quote-and-signature.eml", headers(
    subject="Re: Lunch on Friday?", sender="Bob Example <bob@example.net>",
    to="Alice Example <alice@example.org>", msgid="<lunch-2@example.net>",
    extra="In-Reply-To: <lunch-1@example.org>\nReferences: <lunch-1@example.org>\n"
          "Content-Type: text/plain; charset=utf-8\n") + """
Sounds good!   Friday   at noon works for me.

On Tue, 14 Nov 2023 at 09:30, Alice Example <alice@example.org> wrote:
> Hi Bob,
>
> shall we try the new café on Friday?
>> Older quote.

See you there.

-- 
Bob Example
Phone: +1 555 0100
""")

add("reply-only-quote.eml", headers(
    subject="Re: only a quote", msgid="<only-quote@example.org>",
    extra="Content-Type: text/plain; charset=utf-8\n") + """
> Everything in this message is quoted.
> Nothing new was written.
""")

add("outlook-top-post.eml", crlf(headers(
    subject="RE: Budget", msgid="<outlook-top@corp.example>",
    extra="Content-Type: text/plain; charset=utf-8\n") + """
Approved, go ahead.

-----Original Message-----
From: Alice Example
Sent: Tuesday, November 14, 2023 9:30 AM
Subject: Budget

Can we spend 500 on the party?
"""))

add("long-paragraph.eml", headers(
    subject="A long paragraph", msgid="<long-paragraph@example.org>",
    extra="Content-Type: text/plain; charset=utf-8\n") + "\n" +
    textwrap.fill(LOREM + " " + LOREM, 72) + "\n")

add("long-word.eml", headers(
    subject="One very long word", msgid="<long-word@example.org>",
    extra="Content-Type: text/plain; charset=utf-8\n") + "\nShort start " + "x" * 400 + " end.\n")

# --- Write ------------------------------------------------------------------------

os.makedirs(OUT, exist_ok=True)
for name, data in sorted(files.items()):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print("wrote %d files, %d bytes" % (len(files), sum(len(d) for d in files.values())))
