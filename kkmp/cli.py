"""Command line: `python -m kkmp init | summary | tindak-lanjut | export | batas | import | history | rollback | template ...`."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from kkmp import revisions as revisi_view
from kkmp.access import AccessDenied, Editor, editor_area_names, template_area
from kkmp.acuan import default_reference
from kkmp.arrow_copy import write_arrow_copy
from kkmp.auth import find_editor, hash_password
from kkmp.backup import BackupError, restore_backup, write_backup
from kkmp.batas import BoundaryFileError, file_sha256, load_boundary_file, save_boundaries
from kkmp.demo import DEFAULT_SEED, SCALES, write_demo_data
from kkmp.dictionary import render_data_dictionary
from kkmp.export import export_csv, export_table_csv, export_table_xlsx, export_xlsx
from kkmp.i18n import format_date, t
from kkmp.ingest import Limits, UnreadableFileError
from kkmp.metrics import headline_summary
from kkmp.plausibility import today_wita
from kkmp.rekonsiliasi import disagreements, reconcile, shown_value
from kkmp.rekonsiliasi import items as rekonsiliasi_items
from kkmp.sample import StoreNotEmptyError, init_store, open_store
from kkmp.schema import DATASETS, get_dataset
from kkmp.settings import Settings, load_settings
from kkmp.store import Store, StoreError, StoreUnavailable, safe_url
from kkmp.template import build_template_csv, build_template_xlsx, template_frames
from kkmp.tindak_lanjut import records as follow_up_records
from kkmp.tindak_lanjut import table as follow_up_table
from kkmp.tindak_lanjut import tindak_lanjut
from kkmp.upload import commit_upload, posisi_per_dates, prepare_upload

EXIT_STORE_UNAVAILABLE = 3  # the database cannot be opened or reached (StoreUnavailable)


class UsageError(Exception):
    """A command line that cannot be run as given (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        raise UsageError(f"{message} (lihat / see: python -m kkmp --help)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus YYYY-MM-DD, bukan {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    p = _Parser(
        prog="python -m kkmp",
        description="KKMP Dashboard: data dan ringkasan / data and summary.",
        epilog="Kode keluar / exit status: 0 berhasil, 1 ditolak atau gagal, 2 perintah salah, "
        f"{EXIT_STORE_UNAVAILABLE} basis data tidak dapat dibuka (periksa KKMP_DATABASE_URL).",
    )
    p.add_argument("--db", help="URL basis data (default: KKMP_DATABASE_URL atau sqlite:///var/kkmp.sqlite)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser("init", help="buat store; isi data contoh atau kosong")
    mode = init.add_mutually_exclusive_group()
    mode.add_argument("--sample", action="store_true", help="isi data contoh (default)")
    mode.add_argument("--empty", action="store_true", help="hanya daftar wilayah, tanpa data koperasi")
    init.add_argument("--force", action="store_true", help="hapus store yang ada lebih dulu")
    init.add_argument("--wilayah", type=Path, help="berkas wilayah (CSV) selain bawaan")
    init.add_argument(
        "--from",
        dest="from_dir",
        type=Path,
        help="folder data (wilayah.csv, <dataset>.csv, sumber.toml), misalnya dari demo-data",
    )

    demo = sub.add_parser("demo-data", help="tulis data sintetis skala kota/provinsi/nasional")
    demo.add_argument("--scale", choices=tuple(SCALES), default="city", help="skala data (default: city)")
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"benih acak (default: {DEFAULT_SEED})")
    demo.add_argument("-o", "--output", type=Path, required=True, help="folder tujuan")

    summary = sub.add_parser("summary", help="angka utama (ringkasan)")
    summary.add_argument("--as-of", type=_date, help="tanggal acuan YYYY-MM-DD")
    summary.add_argument("--json", action="store_true", help="keluaran JSON")

    follow = sub.add_parser("tindak-lanjut", help="daftar tindak lanjut, paling mendesak di atas / follow-up list")
    follow.add_argument(
        "--as-of", type=_date, help="tanggal acuan YYYY-MM-DD (default: hari ini; data contoh: posisi terbaru)"
    )
    follow.add_argument("--json", action="store_true", help="keluaran JSON")
    follow.add_argument("--format", choices=("csv", "xlsx"), help="tulis tabel CSV atau XLSX (perlu -o)")
    follow.add_argument("-o", "--output", type=Path, help="berkas tujuan untuk --format")
    follow.add_argument("--lang", default="id", choices=("id", "en"), help="bahasa keterangan (default: id)")

    export = sub.add_parser("export", help="ekspor satu dataset")
    export.add_argument("dataset", help=f"salah satu: {', '.join(DATASETS)}")
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("-o", "--output", type=Path, help="berkas keluaran (default: stdout untuk CSV)")
    backup = sub.add_parser("backup", help="cadangkan seluruh store (semua revisi) ke satu berkas")
    backup.add_argument("file", type=Path, help="berkas cadangan (.zip)")
    restore = sub.add_parser("restore", help="pulihkan store dari berkas cadangan")
    restore.add_argument("file", type=Path, help="berkas cadangan (.zip) dari `backup`")
    restore.add_argument("--force", action="store_true", help="ganti isi store yang ada")
    briefing = sub.add_parser("briefing", help="ekspor slide briefing ke PDF dan/atau PNG (perlu Chromium)")
    briefing.add_argument("--pdf", type=Path, help="berkas PDF keluaran (satu halaman 16:9 per slide)")
    briefing.add_argument("--png-dir", type=Path, help="folder untuk PNG 1920×1080 per slide")
    briefing.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa slide (default: id)")
    briefing.add_argument("--theme", choices=("dark", "light"), default="dark", help="tema (default: dark)")
    briefing.add_argument("--since", type=_date, help="slide perubahan: bandingkan dengan tanggal YYYY-MM-DD")
    bench = sub.add_parser("bench", help="ukur kecepatan pada skala kota/provinsi/nasional")
    bench.add_argument(
        "--scale",
        default=None,
        help="satu atau beberapa skala, dipisah koma (city,province,national); default city (--browser: city,national)",
    )
    bench.add_argument(
        "--browser", action="store_true", help="ukur di Chromium (Playwright) terhadap aplikasi dasar / in Chromium"
    )
    bench.add_argument("--repeat", type=int, default=3, help="--browser: ulangan per ukuran, median (default 3)")
    bench.add_argument("--json", action="store_true", help="cetak JSON, bukan tabel")
    bench.add_argument("-o", "--output", type=Path, help="berkas JSON hasil (default: var/bench/bench-<skala>.json)")
    bench.add_argument("--workdir", type=Path, help="folder store uji (default: folder sementara sistem)")
    bench.add_argument("--fresh", action="store_true", help="buat ulang store uji walau sudah ada")
    bench.add_argument("--import-rows", type=int, default=100_000, help="baris CSV uji impor (default 100000)")
    bench.add_argument("--no-pages", action="store_true", help="lewati pengukuran halaman")
    batas = sub.add_parser("batas", help="muat batas wilayah kelurahan dari GeoJSON")
    batas.add_argument("file", type=Path, help="berkas GeoJSON (FeatureCollection, WGS 84)")
    batas.add_argument("--dry-run", action="store_true", help="hanya laporkan kecocokan, jangan simpan")
    batas.add_argument("--replace", action="store_true", help="hapus batas yang tidak ada di berkas ini")
    batas.add_argument("--sumber", default="", help="sumber berkas (default: nama berkas)")
    batas.add_argument("--posisi-per", type=_date, help="tanggal berkas YYYY-MM-DD")
    batas.add_argument("--pengguna", "--user", dest="user", default=None, help="nama pengguna yang dicatat pada revisi")
    batas.add_argument("--as-editor", default=None, metavar="NAME", help=AS_EDITOR_HELP)
    dictionary = sub.add_parser("dictionary", help="tulis kamus data (Markdown)")
    dictionary.add_argument("-o", "--output", type=Path, help="berkas keluaran (default: stdout)")

    imp = sub.add_parser("import", help="unggah berkas XLSX/CSV sebagai satu revisi / import files")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="periksa dan tampilkan pratinjau saja, tanpa menulis")
    imp.add_argument("--replace", action="store_true", help="ganti seluruh dataset (baris yang tidak ada dihapus)")
    imp.add_argument("--json", action="store_true", help="keluaran JSON")
    imp.add_argument("--user", default=None, help="nama pengguna yang dicatat pada revisi")
    imp.add_argument("--as-editor", default=None, metavar="NAME", help=AS_EDITOR_HELP)
    imp.add_argument(
        "--posisi-per",
        type=_date,
        default=None,
        help="tanggal posisi data YYYY-MM-DD untuk berkas tanpa tanggal (berkas bertanggal memakai tanggalnya "
        "sendiri: laporan terakhir, RAT terakhir, bulan terakhir); tanpa ini: hari ini, dan dikatakan",
    )
    imp.add_argument("--sumber", default="", help="sumber data (default: 'Laporan mingguan…, diunggah oleh USER')")
    imp.add_argument(
        "--confirm",
        "--yakin",
        action="store_true",
        help="simpan walau ada peringatan yang perlu dikonfirmasi (realisasi turun, lonjakan, anggota berubah)",
    )
    imp.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa pesan / message language")

    rekon = sub.add_parser("rekonsiliasi", help="data dinas vs data nasional, per kelurahan (hanya yang berbeda)")
    rekon.add_argument("--json", action="store_true", help="keluaran JSON")
    rekon.add_argument("--semua", action="store_true", help="juga baris yang sama / also the rows that agree")

    history = sub.add_parser("history", help="riwayat revisi / revision history")
    history.add_argument("--json", action="store_true", help="keluaran JSON")

    rollback = sub.add_parser("rollback", help="kembalikan data ke revisi lama (sebagai revisi baru)")
    rollback.add_argument("revision", type=int, metavar="REVISION")
    rollback.add_argument("--user", default=None, help="nama pengguna yang dicatat pada revisi")
    rollback.add_argument("--as-editor", default=None, metavar="NAME", help=AS_EDITOR_HELP)

    template = sub.add_parser("template", help="templat unggah (XLSX, atau CSV untuk satu dataset)")
    template.add_argument("-o", "--output", type=Path, help="berkas keluaran (default: kkmp-templat.xlsx)")
    template.add_argument("--dataset", help="hanya satu dataset; dengan --format csv wajib")
    template.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    template.add_argument("--as-editor", default=None, metavar="NAME", help=AS_EDITOR_HELP)

    hp = sub.add_parser("hash-password", help="buat hash kata sandi editor / make an editor password hash")
    hp.add_argument("--name", default="editor", help="nama editor")
    return p


AS_EDITOR_HELP = "berlakukan batas wilayah editor NAME (KKMP_EDITORS / secrets) / apply that editor's area limit"
SECRETS_FILE = Path(".streamlit/secrets.toml")


def _os_account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


def _cli_secrets() -> dict:
    """The dashboard's `.streamlit/secrets.toml` (editors and their areas), when present here."""
    try:
        with SECRETS_FILE.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _cli_editor(args: argparse.Namespace) -> Editor:
    """Who the CLI writes as: `--as-editor` (that editor's areas) or the administrator (every area).

    The revision records the name given together with the operating-system account that ran the
    command, e.g. "sari (via --as-editor, akun os: root)", so an author name cannot be forged silently.
    """
    account = _os_account()
    if getattr(args, "as_editor", None):
        found = find_editor(args.as_editor, _cli_secrets())
        if found is None:
            raise UsageError(f"editor {args.as_editor!r} tidak ada di KKMP_EDITORS / secrets (unknown editor)")
        return Editor(f"{found.name} (via --as-editor, akun os: {account})", found.wilayah)
    given = args.user or os.environ.get("KKMP_USER")
    if given:
        return Editor(f"{given} (via --user, akun os: {account})")
    return Editor(f"{account} (akun os)")


def _run_import(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    files = []
    for path in args.files:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise UsageError(f"berkas tidak dapat dibaca / cannot read {path}: {exc.strerror}") from None
    limits = Limits(settings.upload_max_bytes, settings.upload_max_rows)
    try:
        plan = prepare_upload(files, store, replace=args.replace, limits=limits)
    except UnreadableFileError as exc:
        if args.json:
            error = {"sheet": None, "row": None, "column": None, "value": exc.file, "message": exc.message(args.lang)}
            out = {"accepted": False, "revision": None, "datasets": [], "errors": [error], "warnings": []}
            print(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            print(f"kkmp: {exc.message(args.lang)}", file=sys.stderr)
        return 2
    revision = None
    given = args.posisi_per
    if given is None and plan.accepted and plan.undated:
        given = today_wita()  # said aloud below: the file has no dates and none was given
    dates = posisi_per_dates(plan, given)
    confirmed = args.confirm or not plan.needs_confirmation
    if plan.accepted and confirmed and not args.dry_run:
        result = commit_upload(
            plan,
            store,
            editor=_cli_editor(args),
            posisi_per=given,
            sumber=args.sumber or None,
            confirmed=args.confirm,
            lang=args.lang,
        )
        revision = result.revision
        if revision is not None:
            write_arrow_copy(store, revision)  # the running server's next visitor opens it from disk
    if args.json:
        out = plan.as_dict(revision, args.lang)
        out["posisi_per"] = {
            n: {"tanggal": d.isoformat() if d else None, "asal": _asal(a, args)} for n, (d, a) in dates.items()
        }
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        _print_plan(plan, revision, args, dates, confirmed)
    return 0 if plan.accepted and (confirmed or args.dry_run) else 1


def _asal(asal: str, args: argparse.Namespace) -> str:
    """Where a "posisi per" came from: "berkas", "--posisi-per" or "hari_ini"."""
    if asal == "diberikan":
        return "--posisi-per" if args.posisi_per else "hari_ini"
    return asal


def _print_plan(plan, revision: int | None, args: argparse.Namespace, dates, confirmed: bool) -> None:
    data = plan.as_dict(revision, args.lang)
    for e in data["errors"]:
        print(f"GALAT  {e['sheet']} baris {e['row']} kolom {e['column']}: {e['message']}")
    for group in data["warnings"]:
        first = group["examples"][0]
        rows = ", ".join(str(x["row"]) for x in group["examples"] if x["row"] is not None)
        more = " …" if group["count"] > len(group["examples"]) else ""
        print(f"catatan {group['count']} × {first['message']} (baris {rows or '—'}{more})")
    for d in data["datasets"]:
        print(
            f"{d['dataset']}: +{d['added']} ditambah, ~{d['changed']} diubah, {d['unchanged']} tetap, "
            f"-{d['removed']} dihapus"
        )
    if plan.accepted:
        for name, (when, asal) in dates.items():
            said = {"berkas": "dari tanggal di berkas", "--posisi-per": "dari --posisi-per"}.get(
                _asal(asal, args), "hari ini: berkas tanpa tanggal dan --posisi-per tidak diberikan"
            )
            print(f"posisi per {name}: {format_date(when, args.lang, 'medium')} ({said})")
    if not plan.accepted:
        print(f"DITOLAK: {len(data['errors'])} galat; tidak ada yang ditulis / rejected, nothing written")
    elif not confirmed and not args.dry_run:
        n = len(plan.report.to_confirm)
        print(
            f"BELUM DISIMPAN: {n} peringatan perlu dikonfirmasi; periksa lalu ulangi dengan --confirm "
            "/ not saved: confirm the warnings with --confirm"
        )
    elif args.dry_run:
        print("uji coba (--dry-run): tidak ada yang ditulis / nothing written")
    elif revision is None:
        print("tidak ada perubahan; tidak ada revisi baru / nothing changed")
    else:
        print(f"diterima: revisi {revision} ditulis / accepted: revision {revision} written")


def _print_summary(data: dict) -> None:
    k = data["kkmp"]
    r = data["rat"]
    sample = " [DATA CONTOH]" if data["sample"] else ""
    print(f"KKMP Dashboard — revisi {data['revisi']}{sample}")
    print(
        f"KKMP: {k['total']} (usulan {k['fisik']['usulan']}, pembangunan {k['fisik']['pembangunan']}, "
        f"selesai {k['fisik']['selesai']}); usaha berjalan {k['usaha_berjalan']} — posisi per {k['posisi_per']}"
    )
    print(f"Koperasi aktif: {data['koperasi_aktif']}")
    if r.get("tahun_buku") is not None:
        print(
            f"RAT tahun buku {r['tahun_buku']}: {r['sudah']}/{r['dihitung']} ({r['persen']}%) dari semua aktif; "
            f"{r['sudah_wajib']}/{r['wajib']} ({r['persen_wajib']}%) dari yang wajib — posisi per {r['posisi_per']}"
        )
    for b in data["pembangunan"]:
        print(
            f"  {b['kelurahan']}: rencana {b['rencana_persen']}%, realisasi {b['realisasi_persen']}%, "
            f"deviasi {b['deviasi']}, {b['status']}, perkiraan selesai {b['perkiraan_selesai']}"
        )


def _hash_password(name: str) -> int:
    if sys.stdin.isatty():
        password = getpass.getpass("Kata sandi / password: ")
        if getpass.getpass("Ulangi / repeat: ") != password:
            print("kkmp: kata sandi tidak sama / passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise UsageError("kata sandi kosong / empty password")
    hashed = hash_password(password)
    print(hashed)
    print("# .streamlit/secrets.toml:", file=sys.stderr)
    print(f'# [kkmp.editors]\n# {json.dumps(name)} = "{hashed}"', file=sys.stderr)
    print(f"# atau / or: KKMP_EDITORS='{name}:{hashed}'", file=sys.stderr)
    return 0


def _run_browser_bench(args: argparse.Namespace) -> int:
    from kkmp.browser_bench import render_browser_table, run_browser_bench

    scales = (args.scale or "city,national").split(",")
    quiet = (lambda _m: None) if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    bench = run_browser_bench("national" in scales, args.repeat, args.workdir, log=quiet)
    out = bench.as_dict()
    output = args.output or Path("var") / "bench" / "bench-browser.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(out, indent=2), encoding="utf-8")
    print(json.dumps(out, indent=2) if args.json else render_browser_table(bench))
    return 0 if out["ok"] else 1


def _run_bench(args: argparse.Namespace) -> int:
    if args.browser:
        return _run_browser_bench(args)
    from kkmp.bench import check_targets, render_table, render_targets, run_bench

    scales = [s.strip() for s in (args.scale or "city").split(",") if s.strip()]
    unknown = [s for s in scales if s not in SCALES]
    if unknown or not scales:
        raise UsageError(f"skala tidak dikenal: {', '.join(unknown)}; pilih dari {', '.join(SCALES)}")
    results = [
        run_bench(s, args.workdir, import_rows=args.import_rows, pages=not args.no_pages, reuse=not args.fresh)
        for s in scales
    ]
    by_scale = {r["scale"]: r for r in results}
    top = results[-1]
    checks = check_targets(top, by_scale.get("city")) if top["scale"] != "city" else {}
    report = {"results": results, "targets": checks}
    output = args.output or Path("var") / "bench" / f"bench-{'-'.join(scales)}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    else:
        print(render_table(results))
        if checks:
            print("\n" + render_targets(checks))
        print(f"\nJSON: {output}")
    errors = [p for r in results for p in r.get("server", {}).get("pages", []) if p.get("errors")]
    return 1 if errors else 0


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    settings = load_settings()
    url = args.db or settings.database_url
    if args.command == "dictionary":
        text = render_data_dictionary()
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "hash-password":
        return _hash_password(args.name)
    if args.command == "bench":
        return _run_bench(args)
    if args.command == "demo-data":
        counts = write_demo_data(args.output, args.scale, args.seed)
        rows = ", ".join(f"{name} {n:,}" for name, n in counts.items())
        print(f"data sintetis skala {args.scale} ditulis ke {args.output}: {rows}")
        return 0
    if args.command == "init":
        store = Store(url)
        kwargs: dict[str, Path] = {}
        if args.from_dir:
            if not (args.from_dir / "wilayah.csv").exists():
                raise UsageError(
                    f"{args.from_dir / 'wilayah.csv'} tidak ada; buat dengan: python -m kkmp demo-data -o DIR"
                )
            kwargs = {"wilayah_file": args.from_dir / "wilayah.csv", "sample_dir": args.from_dir}
        if args.wilayah:
            kwargs["wilayah_file"] = args.wilayah
        try:
            rev = init_store(store, sample=not args.empty, force=args.force, **kwargs)
        except StoreNotEmptyError:
            print(
                "store sudah berisi data; pakai --force untuk mengganti / store has data; use --force", file=sys.stderr
            )
            return 1
        print(f"store siap di {safe_url(url)}: revisi {rev}" + ("" if args.empty else " (data contoh)"))
        return 0
    if args.command == "backup":
        summary = write_backup(Store(url), args.file)
        print(f"cadangan ditulis ke {args.file}: revisi {summary.revision}, {summary.total_rows} baris")
        return 0
    if args.command == "restore":
        summary = restore_backup(Store(url), args.file, force=args.force)
        print(
            f"store {safe_url(url)} dipulihkan dari {args.file}: revisi {summary.revision}, {summary.total_rows} baris"
        )
        return 0
    store = open_store(Settings(**{**settings.__dict__, "database_url": url}))
    if args.command == "summary":
        data = headline_summary(store.snapshot(), settings, args.as_of)
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            _print_summary(data)
        return 0
    if args.command == "tindak-lanjut":
        return _tindak_lanjut(store, settings, args)
    if args.command == "export":
        dataset = get_dataset(args.dataset)
        frame = store.read(dataset.name)
        payload = export_xlsx(dataset, frame) if args.format == "xlsx" else export_csv(dataset, frame)
        if args.output:
            args.output.write_bytes(payload)
            print(f"{len(frame)} baris ditulis ke {args.output}", file=sys.stderr)
        elif args.format == "xlsx":
            raise UsageError("format xlsx perlu -o FILE")
        else:
            sys.stdout.write(payload.decode("utf-8"))
        return 0
    if args.command == "briefing":
        return _briefing(store, settings, args)
    if args.command == "import":
        return _run_import(args, store, settings)
    if args.command == "rekonsiliasi":
        return _run_rekonsiliasi(store, args)
    if args.command == "history":
        history = revisi_view.history_records(store.revisions())
        if args.json:
            print(json.dumps(history, ensure_ascii=False, indent=2, default=str))
        else:
            for h in history:
                changes = "; ".join(
                    f"{d['dataset']} +{d['ditambah']} ~{d['diubah']} -{d['dihapus']}" for d in h["datasets"]
                )
                print(f"{h['revisi']:>4}  {h['waktu'][:19]}  {h['pengguna']:<12} {h['jenis']:<9} {changes}")
        return 0
    if args.command == "rollback":
        result = revisi_view.rollback_revision(store, args.revision, _cli_editor(args))
        if result.revision is None:
            print(f"data sudah sama dengan revisi {args.revision}; tidak ada revisi baru")
        else:
            print(f"revisi {result.revision} ditulis: data kembali seperti revisi {args.revision}")
        return 0
    if args.command == "template":
        return _run_template(store, settings, args)
    if args.command == "batas":
        return _run_batas(store, args)
    raise UsageError(f"perintah tidak dikenal: {args.command}")


def _run_template(store: Store, settings: Settings, args: argparse.Namespace) -> int:
    """Write the upload template, filled as the page fills it: with `--as-editor`, only that editor's areas."""
    if args.format == "csv" and not args.dataset:
        raise UsageError("templat CSV perlu --dataset NAMA")
    dataset = get_dataset(args.dataset) if args.dataset else None
    editor = _cli_editor(args) if args.as_editor else None
    snapshot = store.snapshot()
    area = template_area(editor, snapshot["wilayah"], None)
    frames = template_frames(snapshot, area, settings.upload_max_rows)
    if args.format == "csv":
        payload = build_template_csv(dataset, frames[dataset.name])
    else:
        payload = build_template_xlsx(frames, [dataset.name] if dataset else None)
    target = args.output or Path(f"kkmp-templat.{args.format}")
    target.write_bytes(payload)
    scope = ""
    if editor is not None and editor.is_limited:
        scope = f" (hanya wilayah {', '.join(editor_area_names(editor, snapshot['wilayah']))})"
    print(f"templat ditulis ke {target}{scope}", file=sys.stderr)
    return 0


def _run_rekonsiliasi(store: Store, args: argparse.Namespace) -> int:
    table = reconcile(store.snapshot())
    shown = table if args.semua else disagreements(table)
    if args.json:
        print(json.dumps(rekonsiliasi_items(shown), ensure_ascii=False, indent=2))
        return 0
    if table.empty:
        print("belum ada data nasional; impor dulu ekspor lahan/statistik nasional / no national data imported yet")
        return 0
    for r in rekonsiliasi_items(shown):
        ukuran = t(f"rekonsiliasi.ukuran.{r['ukuran']}", "id")
        dinas, nasional = (shown_value(r["ukuran"], r[k]) for k in ("nilai_dinas", "nilai_nasional"))
        print(
            f"{r['kelurahan']} ({r['kecamatan']}) {ukuran}: dinas {dinas} (per {r['posisi_dinas']}) "
            f"· nasional {nasional} (per {r['posisi_nasional']})"
        )
    print(f"{int(table['beda'].sum())} perbedaan dari {len(table)} perbandingan / disagreements of comparisons")
    return 0


def _run_batas(store: Store, args: argparse.Namespace) -> int:
    """Match a boundary file to the region list, report, and (unless --dry-run) save it."""
    wilayah = store.read("wilayah")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(
            f"kkmp: {BoundaryFileError('tidak_terbaca', nama=args.file, alasan=exc.strerror).message()}",
            file=sys.stderr,
        )
        return 1
    try:
        match = load_boundary_file(data, wilayah)
    except BoundaryFileError as exc:
        print(f"kkmp: {exc.message()}", file=sys.stderr)
        return 1
    print(
        f"{match.matched} dari {match.features} fitur cocok ({match.by_code} lewat kode, {len(match.by_name)} lewat "
        f"nama); {len(match.missing)} kelurahan tanpa batas"
    )
    for feature, nama, kode in match.by_name:
        print(f"  fitur {feature}: {nama!r} dicocokkan lewat nama ke {kode}")
    for issue in match.issues:
        print(f"  fitur {issue.feature}: {issue.message()}", file=sys.stderr)
    for row in match.missing.itertuples(index=False):
        print(f"  tanpa batas: {row.kode_kelurahan} {row.kelurahan} ({row.kecamatan})", file=sys.stderr)
    if not match.ok:
        print(f"kkmp: {BoundaryFileError('tidak_ada_yang_cocok').message()}", file=sys.stderr)
        return 1
    if args.dry_run:
        print("--dry-run: tidak ada yang disimpan")
        return 0
    result = save_boundaries(
        store,
        match,
        wilayah,
        editor=_cli_editor(args),
        nama_file=args.file.name,
        sha256=file_sha256(data),
        sumber=args.sumber or args.file.name,
        posisi_per=args.posisi_per,
        replace=args.replace,
    )
    if result.revision is None:
        print("batas wilayah tidak berubah; tidak ada revisi baru")
    else:
        print(f"batas wilayah tersimpan: revisi {result.revision}")
    return 0


def _tindak_lanjut(store: Store, settings: Settings, args: argparse.Namespace) -> int:
    snapshot = store.snapshot()
    reference = args.as_of or default_reference(snapshot, today_wita())
    items = tindak_lanjut(snapshot, settings, reference)
    if args.format:
        if not args.output:
            raise UsageError("--format perlu -o BERKAS / --format needs -o FILE")
        shown = follow_up_table(items, args.lang)
        payload = export_table_xlsx(shown, "tindak_lanjut") if args.format == "xlsx" else export_table_csv(shown)
        args.output.write_bytes(payload)
        print(f"{len(items)} hal per {reference.isoformat()} ditulis ke {args.output}", file=sys.stderr)
        return 0
    rows = follow_up_records(items, args.lang)
    if args.json:
        print(json.dumps({"as_of": reference.isoformat(), "items": rows}, ensure_ascii=False, indent=2))
        return 0
    print(f"Tindak lanjut per {reference.isoformat()}: {len(rows)} hal")
    for r in rows:
        print(f"- [{r['tingkat']}] {r['jenis']} · {r['kelurahan']} ({r['kecamatan']}): {r['keterangan']}")
    return 0


def _briefing(store: Store, settings: Settings, args: argparse.Namespace) -> int:
    """`python -m kkmp briefing --pdf FILE [--png-dir DIR]`: the deck drawn on this machine."""
    from kkmp.briefing import baseline_at_date, build_deck, default_baseline
    from kkmp.deck_export import ChromiumMissingError, export_deck, write_deck

    if args.pdf is None and args.png_dir is None:
        raise UsageError("briefing perlu --pdf FILE dan/atau --png-dir DIR")
    snapshot = store.snapshot()
    baseline = baseline_at_date(store, args.since) if args.since else default_baseline(store, snapshot)
    slides = build_deck(snapshot, settings, args.lang, theme=args.theme, baseline=baseline)
    try:
        files = export_deck(slides, args.lang, args.theme)
    except ChromiumMissingError as exc:
        print(f"kkmp: {exc}", file=sys.stderr)
        return 1
    for path in write_deck(files, args.pdf, args.png_dir, slides):
        print(path)
    return 0


#: What the CLI says after `StoreUnavailable`, by its `kind`: what happened and what to do next.
_UNAVAILABLE_NEXT = {
    "sibuk": "sedang sibuk (dikunci proses lain) — tidak ada yang ditulis; coba lagi sebentar lagi, "
    "atau naikkan KKMP_SQLITE_WRITE_TIMEOUT (the database is busy: nothing was written, try again)",
    "hanya_baca": "hanya dapat dibaca — tidak ada yang ditulis; beri tahu administrator (izin berkas dan "
    "folder SQLite, disk hanya-baca, PostgreSQL read-only) (the database is read-only: nothing was written, "
    "tell the administrator)",
    "penuh": "disk penuh — tidak ada yang ditulis; beri tahu administrator agar mengosongkan ruang disk "
    "(the disk is full: nothing was written, tell the administrator)",
    "": "tidak dapat dibuka — periksa KKMP_DATABASE_URL / --db, "
    "apakah server basis data berjalan, dan izin berkas SQLite-nya; lalu coba lagi",
}


def unavailable_line(exc: StoreUnavailable) -> str:
    """The CLI's one line for a database that cannot be opened or written: backend, the driver's reason, next step."""
    head, _, tail = _UNAVAILABLE_NEXT[exc.kind].partition(" — ")
    return f"basis data ({exc.backend}) {head}{': ' + exc.reason if exc.reason else ''} — {tail}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: usage errors print one line to stderr and exit 2; a database that cannot be
    opened or reached prints one line and exits 3 (`EXIT_STORE_UNAVAILABLE`)."""
    try:
        return run(argv)
    except UsageError as exc:
        print(f"kkmp: {exc}", file=sys.stderr)
        return 2
    except KeyError as exc:  # unknown dataset
        print(f"kkmp: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:  # one line with the next step; never the URL (it may hold a password)
        print(f"kkmp: {unavailable_line(exc)}", file=sys.stderr)
        return EXIT_STORE_UNAVAILABLE
    except (StoreError, BackupError) as exc:
        print(f"kkmp: {exc}", file=sys.stderr)
        return 1
    except AccessDenied as exc:  # --as-editor outside that editor's areas: nothing was written
        print(f"kkmp: {exc.message()}", file=sys.stderr)
        return 1
    except sa.exc.DBAPIError as exc:  # the database cannot be reached or refused the work
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        print(
            f"kkmp: basis data tidak dapat dipakai: {reason} — periksa --db / KKMP_DATABASE_URL "
            "(the database cannot be used; check the URL)",
            file=sys.stderr,
        )
        return 1
