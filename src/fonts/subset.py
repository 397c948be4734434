#!/usr/bin/python3
"""Subset one font face to a set of code points and, when its outlines are CFF/CFF2, convert
them to TrueType (glyf) quadratic outlines.

Why: Chromium embeds CFF-flavoured OpenType fonts into PDFs as Type 3 fonts, which are unfit for
print; TrueType-outline fonts are embedded as named CID TrueType subsets.

Protocol (one request per process):
  stdin : {"source": path, "index": n, "codepoints": [int, ...], "output": path,
           "dropLanguages": [tag, ...],   (optional: OpenType language systems no text selects)
           "tidyCff": bool}               (optional, for the tests: the subsetter's own work on the
                                           CFF table, which skip_cff_tidying leaves out, done too)
  stdout: {"missing": [int, ...], "glyphs": n, "converted": bool, "warnings": [str, ...]}
  exit 0 on success; on failure a JSON {"error": kind, "message": str} line on stderr and
  exit 2 (bad request / font problem) or 3 (fontTools not importable).

The output is deterministic: the same request gives byte-identical output (no timestamps are
recalculated; the caller also runs us with PYTHONHASHSEED=0).
"""
import json
import sys


def fail(kind, message, code=2):
    sys.stderr.write(json.dumps({"error": kind, "message": message}) + "\n")
    sys.exit(code)


try:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
except ImportError as e:  # pragma: no cover - depends on the machine
    fail("fonttools-missing", "cannot import fontTools (%s) with %s" % (e, sys.executable), 3)

# Maximum cubic-to-quadratic approximation error, in units per 1000 em.
MAX_ERR_PER_1000_EM = 1.0

# Tables that only make sense for variable fonts; dropped when a CFF2 default instance is kept.
VARIATION_TABLES = ("fvar", "avar", "gvar", "cvar", "HVAR", "VVAR", "MVAR", "STAT")


def subset_options(index):
    """Options keeping everything a typesetter needs: all layout features (vert, vrt2, halt,
    palt, chws, vhal, ...), all name records, a visible .notdef; no glyph names."""
    options = subset.Options()
    options.font_number = index
    options.layout_features = ["*"]
    options.layout_scripts = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_glyph = True
    options.notdef_outline = True
    options.glyph_names = False
    options.recalc_timestamp = False
    options.recalc_bounds = False
    options.canonical_order = True
    # BASE holds the ideographic baselines CJK layout uses; it references no glyph ids.
    # Passed through unchanged (the subsetter would otherwise drop it).
    options.drop_tables = [t for t in options.drop_tables if t != "BASE"]
    options.no_subset_tables = options.no_subset_tables + ["BASE"]
    return options


def drop_language_systems(font, tags):
    """Remove the language systems `tags` (e.g. JAN, KOR, ZHT of a CJK font set in Simplified
    Chinese) from GSUB and GPOS, before subsetting. Their `locl` lookups pull in every locale's
    variant glyphs: for Noto CJK they double a subset's glyphs. Only systems the caller knows no
    text of the document selects are dropped; the default system and all others stay."""
    drop = {t.strip() for t in tags}
    for table in ("GSUB", "GPOS"):
        if table not in font or font[table].table.ScriptList is None:
            continue
        for record in font[table].table.ScriptList.ScriptRecord:
            script = record.Script
            kept = [r for r in script.LangSysRecord if r.LangSysTag.strip() not in drop]
            script.LangSysRecord = kept
            script.LangSysCount = len(kept)


def skip_cff_tidying(font):
    """The CFF outlines are replaced by glyf after the subset (convert_to_truetype), so the
    subsetter's work on the CFF table itself is wasted: tidying its subroutines after the subset
    (a third of a CJK subset's time), and, for a CID-keyed font, the glyph closure through `seac`
    accents, whose StandardEncoding names no CID-keyed charset has. Skipped, the output is the same
    bytes (tests/fonts/subset-speed.test.ts compares)."""
    if "CFF " not in font:
        return
    table = font["CFF "]
    table.prune_post_subset = lambda *args, **kwargs: True
    if hasattr(table.cff.topDictIndex[0], "ROS"):
        table.closure_glyphs = lambda *args, **kwargs: None


def quadratic_glyphs(font, max_err):
    """Draw every glyph through cu2qu into a TTGlyphPen; returns {name: glyf Glyph}."""
    glyph_set = font.getGlyphSet()
    result = {}
    for name in font.getGlyphOrder():
        tt_pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise; TrueType wants clockwise.
        glyph_set[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        result[name] = tt_pen.glyph()
    return result


def fix_metrics(font, vorg):
    """TrueType convention: hmtx lsb == glyph xMin, and for vertical layout without VORG the
    vertical origin is yMax + tsb, so tsb is recomputed from the former VORG origin."""
    glyf = font["glyf"]
    hmtx = font["hmtx"]
    vmtx = font["vmtx"] if "vmtx" in font else None
    for name in font.getGlyphOrder():
        g = glyf[name]
        g.recalcBounds(glyf)
        if not g.numberOfContours:
            continue
        advance, _ = hmtx[name]
        hmtx[name] = (advance, g.xMin)
        if vmtx is not None and vorg is not None:
            height, _ = vmtx[name]
            origin = vorg.VOriginRecords.get(name, vorg.defaultVertOriginY)
            vmtx[name] = (height, origin - g.yMax)


def convert_to_truetype(font, warnings):
    """Replace CFF/CFF2 outlines by glyf/loca and fix the tables that depend on them."""
    upem = font["head"].unitsPerEm
    glyph_order = font.getGlyphOrder()
    glyphs = quadratic_glyphs(font, MAX_ERR_PER_1000_EM * upem / 1000.0)
    vorg = font["VORG"] if "VORG" in font else None

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    fix_metrics(font, vorg)

    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    if "fvar" in font:
        warnings.append("variable CFF2 font: only the default instance was kept")
        for tag in VARIATION_TABLES:
            if tag in font:
                del font[tag]

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(glyph_order)
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxPoints", "maxContours",
                  "maxCompositePoints", "maxCompositeContours", "maxComponentElements",
                  "maxComponentDepth"):
        setattr(maxp, field, 0)

    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and names are not needed to print
    post.extraNames = []
    post.mapping = {}

    head = font["head"]
    head.glyphDataFormat = 0
    # indexToLocFormat is decided when loca is compiled; maxp, head bbox and flags are
    # recalculated on save because recalcBBoxes is on.
    font.recalcBBoxes = True
    font.sfntVersion = "\x00\x01\x00\x00"


def main():
    try:
        req = json.load(sys.stdin)
        source = req["source"]
        index = int(req.get("index", 0))
        codepoints = sorted(set(int(c) for c in req["codepoints"]))
        output = req["output"]
        drop_languages = [str(t) for t in req.get("dropLanguages", [])]
        tidy_cff = bool(req.get("tidyCff", False))
    except (ValueError, KeyError, TypeError) as e:
        fail("bad-request", "invalid request on stdin: %s" % e)

    options = subset_options(index)
    try:
        font = subset.load_font(source, options)
    except FileNotFoundError:
        fail("font-missing", "font file not found: %s" % source)
    except Exception as e:
        fail("font-unreadable", "cannot open %s (face %d): %s" % (source, index, e))

    cmap = font.getBestCmap() or {}
    missing = [c for c in codepoints if c not in cmap]

    if drop_languages:
        drop_language_systems(font, drop_languages)
    if not tidy_cff:
        skip_cff_tidying(font)
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)

    warnings = []
    converted = "CFF " in font or "CFF2" in font
    if converted:
        convert_to_truetype(font, warnings)
    glyphs = len(font.getGlyphOrder())

    try:
        subset.save_font(font, output, options)
    except OSError as e:
        fail("write-failed", "cannot write %s: %s" % (output, e))
    font.close()

    json.dump({"missing": missing, "glyphs": glyphs, "converted": converted,
               "warnings": warnings}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
