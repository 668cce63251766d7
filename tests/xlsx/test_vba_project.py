"""The VBA project writer (`workbook_tools.xlsx.vba_project`): VBA's compression, the
compound file and the project, each read back by readers that are not ours: olefile,
oletools' olevba (its own decompression and dir parsing), the tests' own small reader
(`tests.support.vba`), and LibreOffice, which imports the modules of an .xlsm."""

from __future__ import annotations

import importlib.util
import random
import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import decompress_stream

from tests.support.vba import olevba_modules, ovba_decompress, vba_modules
from tests.support.xlsx_parts import CORPUS
from workbook_tools.xlsx import vba_project as vp

XLWINGS = importlib.util.find_spec("xlwings")
needs_xlwings = pytest.mark.skipif(XLWINGS is None, reason="xlwings is not installed")
RED, BLACK = 0, 1  # a directory entry's colour ([MS-CFB] 2.6.1)
OURS = vp.VbaModule("Ours", "standard", 'Attribute VB_Name = "Ours"\r\nSub Hello()\r\n    MsgBox "hi"\r\nEnd Sub\r\n')
TRACKER_CODE_NAMES = [f"Sheet{i}" for i in range(1, 9)]


def xlwings_project() -> bytes:
    assert XLWINGS is not None and XLWINGS.origin
    with zipfile.ZipFile(Path(XLWINGS.origin).parent / "quickstart_standalone.xlsm") as zf:
        return zf.read("xl/vbaProject.bin")




# --- Compression ----------------------------------------------------------------------------

TEXT = b"Sub Refresh()\r\n    RunPython \"import tracker; tracker.main()\"\r\nEnd Sub\r\n"


@pytest.mark.parametrize("data", [
    b"",
    b"a",
    b"ab",
    b"abc",
    b"aaaa",
    b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",  # [MS-OVBA] 3.2's example text
    b"x" * 4095,
    b"x" * 4096,
    b"x" * 4097,
    TEXT * 100,
    (TEXT * 100)[:4096],
    (TEXT * 100)[:4097],
    bytes(range(256)) * 40,
    random.Random(14).randbytes(4096),  # incompressible: a raw chunk
    random.Random(15).randbytes(3 * 4096),
    b"\x00" * 10_000,
])
def test_compression_round_trips_through_three_decompressors(data):
    packed = vp.compress(data)
    assert packed[0] == 1
    assert vp.decompress(packed) == data
    assert ovba_decompress(packed) == data if data else packed == b"\x01"
    assert bytes(decompress_stream(bytearray(packed))) == data


@pytest.mark.parametrize("data", [b"x" * 4096, TEXT * 100, b"\x00" * 10_000, (TEXT * 100)[:4097]])
def test_repeated_text_is_compressed_to_a_tenth(data):
    # (a copy token late in a chunk says at most 18 bytes: the format keeps it from less)
    assert len(vp.compress(data)) <= len(data) / 10


def test_an_incompressible_chunk_is_stored_raw():
    data = random.Random(3).randbytes(4096)
    packed = vp.compress(data)
    assert len(packed) == 1 + 2 + 4096 and packed[1:3] == b"\xff\x3f" and packed[3:] == data


@pytest.mark.parametrize("data", [
    b"",
    b"\x00",
    b"\x02abc",
    b"\x01\x00",  # a chunk header with the wrong signature
    b"\x01\x03\xb0\x01\x00\x00",  # a copy token before anything was written
    b"\x01\xff\xbf" + b"\xff" * 20,  # copy tokens cut short
])
def test_a_malformed_container_raises_only_the_documented_error(data):
    with pytest.raises(vp.VbaProjectError):
        vp.decompress(data)


@pytest.mark.parametrize("seed", range(20))
def test_any_bytes_decompress_or_raise_the_documented_error(seed):
    data = b"\x01" + random.Random(seed).randbytes(random.Random(seed).randint(0, 3000))
    try:
        vp.decompress(data)
    except vp.VbaProjectError:
        pass


@pytest.mark.parametrize(("data", "limit", "too_large"), [
    (b"x" * 10_000, 10_000, False),
    (b"x" * 10_001, 10_000, True),
    (b"x" * 4096 * 50, 4096, True),  # refused early: no more than a chunk past the limit is expanded
    (TEXT * 100, None, False),
])
def test_decompress_stops_at_the_size_it_is_given(data, limit, too_large):
    container = vp.compress(data)
    if too_large:
        with pytest.raises(vp.VbaTooLargeError, match="more than this tool reads"):
            vp.decompress(container, limit)
    else:
        assert vp.decompress(container, limit) == data


@pytest.mark.parametrize("data", [b"abcabcabcabcabcabcabc" * 300, b"ab" * 5000, bytes(range(256)) * 17 + b"a" * 999])
def test_overlapping_copies_decompress_as_olevba_does(data):
    container = vp.compress(data)
    assert vp.decompress(container) == bytes(decompress_stream(bytearray(container))) == data


# --- The compound file ----------------------------------------------------------------------

@pytest.mark.parametrize("sizes", [
    [1],
    [63, 64, 65],
    [4095, 4096, 4097],
    [0, 10, 70_000],
    [100] * 40,  # several directory sectors and a mini FAT of more than one sector
    [5000] * 30,  # a FAT of more than one sector... almost
    [200_000, 3, 100_000],
])
def test_olefile_reads_every_stream_of_the_compound_file(sizes):
    streams = {f"S/stream{i}": bytes([i % 251]) * size for i, size in enumerate(sizes)}
    streams["TOP"] = b"top"
    data = vp.compound_file(streams)
    assert len(data) % 512 == 0
    with olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT) as ole:
        assert sorted("/".join(p) for p in ole.listdir()) == sorted(streams)
        for path, content in streams.items():
            assert ole.openstream(path).read() == content, path
        check_red_black(ole)


def check_red_black(ole: olefile.OleFileIO) -> None:
    """Every storage's children form a binary search tree in [MS-CFB]'s order and a valid
    red-black tree: a black root, no red child of a red node, one black height."""
    entries = ole.direntries

    def key(sid: int) -> tuple[int, str]:
        return len(entries[sid].name), entries[sid].name.upper()

    def black_height(sid: int, low, high, parent_red: bool) -> int:
        if sid == olefile.NOSTREAM:
            return 1
        node = entries[sid]
        red = node.color == RED
        assert not (red and parent_red), node.name
        assert (low is None or key(sid) > low) and (high is None or key(sid) < high), node.name
        left = black_height(node.sid_left, low, key(sid), red)
        right = black_height(node.sid_right, key(sid), high, red)
        assert left == right, node.name
        return left + (0 if red else 1)

    for entry in entries:
        if entry is not None and entry.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE):
            if entry.sid_child != olefile.NOSTREAM:
                assert entries[entry.sid_child].color == BLACK
                black_height(entry.sid_child, None, None, False)


@pytest.mark.parametrize("streams", [
    {"": b"x"},
    {"a/b/": b"x"},
    {"x" * 32: b"x"},
    {"a:b": b"x"},
    {"bang!": b"x"},
    {"tab\there": b"x"},
    {"A/x": b"1", "a/X": b"2"},  # one name twice, ignoring case
    {"A": b"1", "A/x": b"2"},  # a stream used as a storage
])
def test_a_name_the_format_cannot_hold_is_refused(streams):
    with pytest.raises(vp.VbaProjectError):
        vp.compound_file(streams)


def test_a_compound_file_too_large_names_its_size_and_the_limit():
    with pytest.raises(vp.VbaTooLargeError) as raised:
        vp.compound_file({"VBA/big": b"\0" * (7 * 2**20)})
    assert str(raised.value) == ("the project would take 7.0 MB, more than the 6.8 MB a compound file without DIFAT "
                                 "sectors holds")
    assert olefile.isOleFile(vp.compound_file({"VBA/big": b"\0" * (6 * 2**20)}))


def test_the_compound_file_is_deterministic():
    streams = {"PROJECT": b"p", "VBA/dir": b"d" * 5000}
    assert vp.compound_file(streams) == vp.compound_file(dict(streams))


# --- The project ----------------------------------------------------------------------------

@needs_xlwings
def test_xlwings_project_is_read_with_its_modules_kinds_and_sources():
    project = vp.read_vba_project(xlwings_project())
    kinds = {m.name: m.kind for m in project.modules}
    assert kinds == {"ThisWorkbook": "document", "Sheet1": "document", "Sheet2": "document",
                     "Module1": "standard", "xlwings": "standard", "Dictionary": "class"}
    sources = {m.name: m.source for m in project.modules}
    assert sources == vba_modules(xlwings_project())
    assert project.properties[0].startswith("ID=") and project.code_page == 1252
    assert [m.doc_string for m in project.modules if m.name == "Dictionary"][0].startswith("Drop-in replacement")


@needs_xlwings
def test_a_built_project_is_read_by_olefile_olevba_and_our_reader():
    base = vp.read_vba_project(xlwings_project())
    data = vp.build_vba_project(base, TRACKER_CODE_NAMES, modules=[OURS])
    names = ["ThisWorkbook", *TRACKER_CODE_NAMES, "Module1", "xlwings", "Dictionary", "Ours"]
    with olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT) as ole:
        streams = sorted("/".join(p) for p in ole.listdir())
        assert streams == sorted(["PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"] + [f"VBA/{n}" for n in names])
        assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
        project_text = ole.openstream("PROJECT").read().decode("cp1252")
        wm = ole.openstream("PROJECTwm").read()
    assert not any("__SRP_" in s for s in streams)
    for name in ["ThisWorkbook", *TRACKER_CODE_NAMES]:
        assert f"\r\nDocument={name}/&H00000000\r\n" in project_text
    assert "\r\nModule=xlwings\r\n" in project_text and "\r\nClass=Dictionary\r\n" in project_text
    assert "\r\nModule=Ours\r\n" in project_text
    assert base.properties[0] in project_text and 'CMG="' in project_text
    assert wm.endswith(b"Ours\x00O\x00u\x00r\x00s\x00\x00\x00\x00\x00")

    original = vba_modules(xlwings_project())
    for reader in (vba_modules, olevba_modules):
        modules = reader(data)
        assert sorted(modules) == sorted(names), reader
        for kept in ("Module1", "xlwings", "Dictionary"):
            assert modules[kept].replace("\r\n", "\n") == original[kept].replace("\r\n", "\n"), (reader, kept)
    ours = vba_modules(data)
    assert ours["Ours"] == OURS.source
    for name in TRACKER_CODE_NAMES:
        assert ours[name] == original["Sheet1"].replace('"Sheet1"', f'"{name}"')
    assert ours["ThisWorkbook"] == original["ThisWorkbook"]


@needs_xlwings
def test_a_built_project_reads_back_as_what_was_built():
    base = vp.read_vba_project(xlwings_project())
    again = vp.read_vba_project(vp.build_vba_project(base, ["Interviews", "Calls"], workbook_code_name="Book",
                                                     modules=[OURS]))
    assert [(m.name, m.kind) for m in again.modules] == [
        ("Book", "document"), ("Interviews", "document"), ("Calls", "document"),
        ("Module1", "standard"), ("xlwings", "standard"), ("Dictionary", "class"), ("Ours", "standard")]
    assert again.information == base.information and again.properties == base.properties
    assert [m for m in again.modules if m.name == "Dictionary"] == [m for m in base.modules if m.name == "Dictionary"]


@needs_xlwings
@pytest.mark.parametrize("code_names, workbook", [
    (["1st"], "ThisWorkbook"),
    ([""], "ThisWorkbook"),
    (["two words"], "ThisWorkbook"),
    (["x" * 32], "ThisWorkbook"),
    (["../../etc"], "ThisWorkbook"),
    (["Sheet1", "sheet1"], "ThisWorkbook"),
    (["xlwings"], "ThisWorkbook"),
    (["Ours"], "ThisWorkbook"),
    (["Sheet1"], "Sheet1"),
    (["Feuille\u0100"], "ThisWorkbook"),  # not in the project's code page
    (["Sheet1"], "a\x00b"),
])
def test_a_code_name_that_cannot_name_a_module_is_refused(code_names, workbook):
    base = vp.read_vba_project(xlwings_project())
    with pytest.raises(vp.VbaProjectError):
        vp.build_vba_project(base, code_names, workbook_code_name=workbook, modules=[OURS])


@pytest.mark.parametrize("name, ok", [
    ("Sheet1", True), ("ThisWorkbook", True), ("Données", True), ("a_1", True), ("x" * 31, True),
    ("", False), ("1a", False), ("_a", False), ("a b", False), ("a-b", False), ("x" * 32, False),
    (None, False), (3, False), ("a\x00", False),
])
def test_is_module_name(name, ok):
    assert vp.is_module_name(name) is ok


@pytest.mark.parametrize("data", [
    b"",
    b"not a compound file" * 100,
    bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2000,
    random.Random(1).randbytes(5000),
    vp.compound_file({"PROJECT": b'ID="{x}"\r\n', "VBA/dir": b"\x01garbage"}),
    vp.compound_file({"PROJECT": b"Name=x\r\n", "VBA/dir": vp.compress(b"\x10\x00\x00\x00\x00\x00")}),
    vp.compound_file({"other": b"x"}),
])
def test_bytes_that_are_not_a_project_raise_only_the_documented_error(data):
    with pytest.raises(vp.VbaProjectError):
        vp.read_vba_project(data)


@needs_xlwings
@pytest.mark.parametrize("cut", [600, 2048, 10_000, 30_000])
def test_a_truncated_project_raises_only_the_documented_error(cut):
    try:
        vp.read_vba_project(xlwings_project()[:cut])
    except vp.VbaProjectError:
        pass


@pytest.mark.parametrize("name", ["vbaProject01.bin", "vbaProject03.bin", "vbaProject05.bin"])
def test_projects_excel_wrote_are_read_and_rebuilt(name):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"the Excel reference corpus is not at {CORPUS}")
    project = vp.read_vba_project(path.read_bytes())
    modules = {m.name: m for m in project.modules}
    assert modules["Module1"].kind == "standard" and "Sub " in modules["Module1"].source
    documents = [m.name for m in project.modules if m.kind == "document"]
    rebuilt = olevba_modules(vp.build_vba_project(project, documents[1:], workbook_code_name=documents[0]))
    assert rebuilt["Module1"].replace("\r\n", "\n") == modules["Module1"].source.replace("\r\n", "\n")
    assert sorted(rebuilt) == sorted(modules)


@needs_xlwings
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_an_xlsm_with_the_project_and_imports_every_module(tmp_path):
    import xlsxwriter

    base = vp.read_vba_project(xlwings_project())
    path = tmp_path / "book.xlsm"
    wb = xlsxwriter.Workbook(str(path))
    wb.set_vba_name("ThisWorkbook")
    for name in ("Interviews", "Calls"):
        wb.add_worksheet(name).set_vba_name()
    wb.add_vba_project(__import__("io").BytesIO(vp.build_vba_project(base, ["Sheet1", "Sheet2"], modules=[OURS])),
                       is_stream=True)
    wb.close()
    profile = (tmp_path / "profile").as_uri()
    proc = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--convert-to", "ods", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=240, check=True)
    assert "Error" not in proc.stderr
    with zipfile.ZipFile(tmp_path / "book.ods") as ods:
        basic = {Path(n).stem: ods.read(n).decode() for n in ods.namelist()
                 if n.startswith("Basic/VBAProject/") and not n.endswith("script-lb.xml")}
    kinds = {name: re.search(r'script:moduleType="(\w+)"', text).group(1) for name, text in basic.items()}
    assert kinds == {"ThisWorkbook": "document", "Sheet1": "document", "Sheet2": "document", "Module1": "normal",
                     "xlwings": "normal", "Dictionary": "class", "Ours": "normal"}
    assert "Sub Hello()" in basic["Ours"]


# --- Keeping a project's own modules --------------------------------------------------------

HANDLER = vp.document_module("Interviews").source + "Private Sub Worksheet_Change(ByVal Target As Range)\r\nEnd Sub\r\n"


@pytest.mark.parametrize("host, base_id", [
    ("workbook", "00020819"), ("worksheet", "00020820"), ("chart", "00020821"),
])
def test_a_document_module_names_the_class_of_its_host(host, base_id):
    module = vp.document_module("Name1", host)
    assert module.kind == "document" and module.name == "Name1"
    assert module.source.splitlines()[:2] == ['Attribute VB_Name = "Name1"',
                                              f'Attribute VB_Base = "0{{{base_id}-0000-0000-C000-000000000046}}"']


@needs_xlwings
@pytest.mark.parametrize("keep, interviews, orphan", [
    (True, HANDLER, ["Gone"]),  # kept, and the module of no code name after the others
    (False, vp.document_module("Interviews").source, []),
])
def test_keep_documents_keeps_each_document_module_as_it_is(keep, interviews, orphan):
    xlwings = vp.read_vba_project(xlwings_project())
    own = (vp.VbaModule("INTERVIEWS", "document", HANDLER.replace('"Interviews"', '"INTERVIEWS"')),
           vp.VbaModule("Gone", "document", vp.document_module("Gone").source), OURS)
    base = xlwings._replace(modules=own)
    data = vp.build_vba_project(base, ["Interviews", "Chart1", "Calls"], charts={"Chart1"}, keep_documents=keep)
    modules = vp.read_vba_project(data).modules
    names = ["ThisWorkbook", "INTERVIEWS" if keep else "Interviews", "Chart1", "Calls", *orphan, "Ours"]
    assert [m.name for m in modules] == names
    sources = olevba_modules(data)
    assert sources[names[1]] == (interviews.replace('"Interviews"', '"INTERVIEWS"') if keep else interviews)
    assert sources["Chart1"] == vp.document_module("Chart1", "chart").source
    assert sources["Calls"] == vp.document_module("Calls").source and sources["Ours"] == OURS.source


@pytest.mark.parametrize("name, kind", [("Sheet1", "document"), ("sheet1", "standard")])
def test_a_kept_module_and_a_code_name_of_one_name_are_refused_unless_it_is_its_document(name, kind):
    base = vp.VbaProject(b"", 1252, ('ID="{00000000-0000-0000-0000-000000000000}"',), (),
                         (vp.VbaModule(name, kind, f'Attribute VB_Name = "{name}"\r\n'),))
    if kind == "document":
        assert vp.build_vba_project(base, ["Sheet1"], keep_documents=True)
    else:
        with pytest.raises(vp.VbaProjectError, match="two modules would be named"):
            vp.build_vba_project(base, ["Sheet1"], keep_documents=True)


# --- References --------------------------------------------------------------------------------

MSFORMS, OFFICE, STDOLE = ("{0D452EE1-E08F-101A-852E-02608C4D0BB4}", "{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}",
                           "{00020430-0000-0000-C000-000000000046}")


def corpus_project(name: str = "vbaProject01.bin") -> vp.VbaProject:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"the Excel reference corpus is not at {CORPUS}")
    return vp.read_vba_project(path.read_bytes())


@needs_xlwings
def test_the_references_of_xlwings_project_are_read_with_their_libraries():
    project = vp.read_vba_project(xlwings_project())
    references = vp.project_references(project)
    assert [(r.name, r.library) for r in references] == [("MSForms", MSFORMS), ("Office", OFFICE)]
    assert project.information.endswith(b"".join(r.records for r in references))


@needs_xlwings
def test_references_missing_from_a_project_are_added_after_its_own():
    excel = corpus_project()
    assert [(r.name, r.library) for r in vp.project_references(excel)] == [("stdole", STDOLE), ("Office", OFFICE)]
    xlwings = vp.project_references(vp.read_vba_project(xlwings_project()))
    merged = vp.with_references(excel, xlwings)
    assert merged.information == excel.information + xlwings[0].records
    assert [r.name for r in vp.project_references(merged)] == ["stdole", "Office", "MSForms"]
    assert vp.with_references(merged, xlwings) == merged
    documents = [m.name for m in excel.modules if m.kind == "document"]
    data = vp.build_vba_project(merged, documents[1:], workbook_code_name=documents[0], keep_documents=True)
    assert olevba_modules(data) == {m.name: m.source for m in excel.modules}  # olevba reads the dir stream past them


@pytest.mark.parametrize("added, message", [
    (vp.VbaReference("office", "{11111111-2222-3333-4444-555555555555}", b""), "named 'office' to another library"),
])
def test_a_reference_whose_name_is_taken_by_another_library_is_refused(added, message):
    with pytest.raises(vp.UnsupportedVbaError, match=message):
        vp.with_references(corpus_project(), [added])


def record(record_id: int, body: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(body)) + body


@pytest.mark.parametrize("tail, message", [
    (record(0x16, b"Odd") + record(0x77, b"??"), r"does not know \(0x0077\)"),
    (record(0x16, b"Cut"), r"does not know \(nothing\)"),
    (record(0x2F, b"\0" * 8), "ends early"),
    (record(0x33, b"x") + record(0x0D, b"y"), r"does not know \(0x000d\)"),
])
def test_references_this_module_does_not_know_are_refused(tail, message):
    project = corpus_project()
    with pytest.raises(vp.UnsupportedVbaError, match=message):
        vp.project_references(project._replace(information=project.information + tail))


# --- What is not carried over ----------------------------------------------------------------

def built_streams(data: bytes) -> dict[str, bytes]:
    with olefile.OleFileIO(data) as ole:
        return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}


@needs_xlwings
@pytest.mark.parametrize("extra, project_line, message", [
    ({"UserForm1/f": b"\0" * 8, "UserForm1/o": b"\0"}, "", "holds 'UserForm1', a form's designer"),
    ({"PROJECTlk": b"\0" * 8}, "", "holds 'PROJECTlk'"),
    ({}, "BaseClass=UserForm1", r"holds forms \(designer modules\)"),
    ({}, "Package={AC9F2F90-E877-11CE-9F68-00AA00574A4F}", r"holds forms \(designer modules\)"),
])
def test_a_project_with_forms_or_licensed_controls_is_refused(extra, project_line, message):
    streams = built_streams(vp.build_vba_project(vp.read_vba_project(xlwings_project()), ["Sheet1"]))
    if project_line:
        streams["PROJECT"] = streams["PROJECT"].replace(b"\r\n", f"\r\n{project_line}\r\n".encode(), 1)
    with pytest.raises(vp.UnsupportedVbaError, match=message):
        vp.read_vba_project(vp.compound_file({**streams, **extra}))


def stream_shared(project: bytes, first: str, second: str) -> bytes:
    """``project`` with module ``second`` stored, per its dir stream, in ``first``'s stream
    (its name's case changed: stream names ignore case)."""
    with olefile.OleFileIO(project) as ole:
        streams = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    dir_bytes = vp.decompress(streams["VBA/dir"])
    record = struct.pack("<HI", 0x1A, len(second)) + second.encode()
    shared = struct.pack("<HI", 0x1A, len(first)) + first.swapcase().encode()
    assert len(first) == len(second) and dir_bytes.count(record) == 1
    streams["VBA/dir"] = vp.compress(dir_bytes.replace(record, shared))
    return vp.compound_file(streams)


@needs_xlwings
def test_two_modules_stored_in_one_stream_are_refused_as_damaged():
    project = vp.build_vba_project(vp.read_vba_project(xlwings_project()), ["Sheet1", "Sheet2"])
    with pytest.raises(vp.VbaProjectError) as raised:
        vp.read_vba_project(stream_shared(project, "Sheet1", "Sheet2"))
    assert str(raised.value) == ("the project is damaged: its modules 'Sheet1' and 'Sheet2' are both stored in the "
                                 "stream 'sHEET1'")


@needs_xlwings
@pytest.mark.parametrize(("limit", "value", "message"), [
    ("MAX_MODULES", 5, "its dir stream lists 6 modules, more than the 5 this tool reads"),
    ("MAX_SOURCE_BYTES", 50_000, "its modules' source holds more than 48 kB, more than this tool reads"),
])
def test_a_project_over_the_reading_limits_is_refused(monkeypatch, limit, value, message):
    monkeypatch.setattr(vp, limit, value)
    with pytest.raises(vp.VbaTooLargeError) as raised:
        vp.read_vba_project(xlwings_project())
    assert str(raised.value) == message
