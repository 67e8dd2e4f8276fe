"""La escritura de salidas (analisis.escritura): solo lo propio, todo a la vez, con cerrojo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from analisis.escritura import CERROJO, DIARIO, MANIFIESTO, ErrorSalida, Salida, publicar_archivos, recuperar
from analisis.cli import main

MINI = os.path.join(os.path.dirname(__file__), "fixtures", "tablero", "mini.txt")


def _visibles(carpeta):
    return sorted(p.relative_to(carpeta).as_posix() for p in carpeta.rglob("*") if p.is_file() and not p.name.startswith("."))


def test_publica_y_registra_en_el_manifiesto(tmp_path):
    publicar_archivos(tmp_path, {"a.csv": b"1\n", "sub/b.csv": b"2\n"})
    assert _visibles(tmp_path) == ["a.csv", "sub/b.csv"]
    manifiesto = json.loads((tmp_path / MANIFIESTO).read_text(encoding="utf-8"))["archivos"]
    assert set(manifiesto) == {"a.csv", "sub/b.csv"}


def test_reemplaza_lo_propio_y_respeta_lo_ajeno(tmp_path):
    publicar_archivos(tmp_path, {"a.csv": b"viejo\n"})
    (tmp_path / "notas.txt").write_text("del usuario", encoding="utf-8")
    publicar_archivos(tmp_path, {"a.csv": b"nuevo\n"})
    assert (tmp_path / "a.csv").read_bytes() == b"nuevo\n"
    assert (tmp_path / "notas.txt").read_text(encoding="utf-8") == "del usuario"


@pytest.mark.parametrize("ajeno", ["archivo", "carpeta"], ids=["archivo-ajeno", "carpeta-ajena"])
def test_lo_ajeno_en_el_camino_es_error_y_nada_cambia(tmp_path, ajeno):
    if ajeno == "archivo":
        (tmp_path / "a.csv").write_text("del usuario", encoding="utf-8")
    else:
        (tmp_path / "a.csv").mkdir()
        (tmp_path / "a.csv" / "x").write_text("del usuario", encoding="utf-8")
    with pytest.raises(ErrorSalida, match="no lo creó analisis"):
        publicar_archivos(tmp_path, {"a.csv": b"1\n", "b.csv": b"2\n"})
    assert not (tmp_path / "b.csv").exists()
    assert not (tmp_path / MANIFIESTO).exists()


def test_archivo_del_usuario_dentro_de_una_carpeta_propia_impide_reemplazarla(tmp_path):
    publicar_archivos(tmp_path, {"informe/a.html": b"1"})
    (tmp_path / "informe" / "mis-notas.txt").write_text("no borrar", encoding="utf-8")
    with pytest.raises(ErrorSalida, match="mis-notas.txt"):
        publicar_archivos(tmp_path, {"informe/a.html": b"2"})
    assert (tmp_path / "informe" / "mis-notas.txt").read_text(encoding="utf-8") == "no borrar"
    assert (tmp_path / "informe" / "a.html").read_bytes() == b"1"


def test_una_carpeta_se_reemplaza_entera_sin_restos_de_la_anterior(tmp_path):
    publicar_archivos(tmp_path, {"informe/a.html": b"1", "informe/viejo.html": b"x"})
    with Salida(tmp_path) as s:
        (s.temporal() / "informe").mkdir()
        (s.temporal() / "informe" / "a.html").write_bytes(b"2")
        s.publicar(["informe"])
    assert _visibles(tmp_path) == ["informe/a.html"]
    assert (tmp_path / "informe" / "a.html").read_bytes() == b"2"


@pytest.mark.parametrize(
    ("preparar", "mensaje"),
    [
        (lambda d: (d / "x").write_text(""), "no es una carpeta"),
        (lambda d: (d / "x").symlink_to(d), "enlace simbólico"),
    ],
    ids=["archivo", "enlace"],
)
def test_salida_que_no_es_carpeta(tmp_path, preparar, mensaje):
    preparar(tmp_path)
    with pytest.raises(ErrorSalida, match=mensaje):
        publicar_archivos(tmp_path / "x", {"a.csv": b""})


def test_salida_vacia_es_error(tmp_path):
    with pytest.raises(ErrorSalida, match="texto vacío"):
        publicar_archivos("", {"a.csv": b""})


def test_salida_donde_no_se_puede_escribir(tmp_path):
    # root escribe en carpetas 0555; /proc no admite carpetas nuevas ni para root.
    if os.geteuid() == 0:
        destino, mensaje = "/proc/analisis-no-se-puede", "no se puede escribir"
    else:
        (tmp_path / "ro").mkdir(mode=0o555)
        destino, mensaje = tmp_path / "ro", "permiso"
    with pytest.raises(ErrorSalida, match=mensaje):
        publicar_archivos(destino, {"a.csv": b""})


@pytest.mark.parametrize(
    "argumentos",
    [["parse", MINI, "--out", ""], ["parse", MINI, "--out", "{archivo}"], ["parse", MINI, "--out", "{enlace}"]],
    ids=["vacia", "archivo", "enlace"],
)
def test_cli_salidas_invalidas_sin_traza(tmp_path, capsys, argumentos):
    (tmp_path / "archivo").write_text("no tocar", encoding="utf-8")
    (tmp_path / "enlace").symlink_to(tmp_path / "otra")
    args = [a.format(archivo=tmp_path / "archivo", enlace=tmp_path / "enlace") for a in argumentos]
    assert main(args) == 2
    error = capsys.readouterr().err
    assert error.startswith("analisis: error: ") and error.count("\n") == 1 and "Traceback" not in error
    assert (tmp_path / "archivo").read_text(encoding="utf-8") == "no tocar"
    assert not (tmp_path / "otra").exists()


def test_sigkill_durante_la_publicacion_deja_lo_viejo_o_lo_nuevo(tmp_path):
    """Un proceso publica tres archivos y muere (SIGKILL) tras cada paso posible; luego se recupera."""
    guion = textwrap.dedent(
        """
        import os, signal, sys
        from analisis import escritura
        pasos = int(sys.argv[2])
        original = os.replace
        def replace(o, d):
            global pasos
            if pasos == 0:
                os.kill(os.getpid(), signal.SIGKILL)
            pasos -= 1
            original(o, d)
        os.replace = replace
        escritura.publicar_archivos(sys.argv[1], {"a.csv": b"nuevo-a", "b.csv": b"nuevo-b", "c.csv": b"nuevo-c"})
        """
    )
    viejo = {"a.csv": b"viejo-a", "b.csv": b"viejo-b", "c.csv": b"viejo-c"}
    nuevo = {k: v.replace(b"viejo", b"nuevo") for k, v in viejo.items()}
    for pasos in range(7):
        carpeta = tmp_path / f"paso-{pasos}"
        publicar_archivos(carpeta, viejo)
        proceso = subprocess.run([sys.executable, "-c", guion, str(carpeta), str(pasos)], capture_output=True)
        recuperar(carpeta)
        contenido = {p.name: p.read_bytes() for p in carpeta.iterdir() if not p.name.startswith(".")}
        assert contenido in (viejo, nuevo), f"muerto tras {pasos} renombres: {contenido}"
        assert not list(carpeta.glob(".analisis-tmp-*")) and not (carpeta / DIARIO).exists()
        if proceso.returncode == 0:
            assert contenido == nuevo
            break
    else:
        pytest.fail("la publicación nunca terminó")


def test_dos_ejecuciones_no_se_mezclan_la_segunda_espera(tmp_path):
    guion = textwrap.dedent(
        """
        import sys, time
        from analisis.escritura import Salida
        with Salida(sys.argv[1]) as s:
            print("dentro", flush=True)
            time.sleep(1.5)
            (s.temporal() / "a.csv").write_bytes(sys.argv[2].encode())
            s.publicar(["a.csv"])
        """
    )
    primera = subprocess.Popen([sys.executable, "-c", guion, str(tmp_path), "primera"], stdout=subprocess.PIPE, text=True)
    assert primera.stdout.readline().strip() == "dentro"
    segunda = subprocess.run(
        [sys.executable, "-c", guion, str(tmp_path), "segunda"], capture_output=True, text=True, timeout=60
    )
    primera.wait(timeout=60)
    assert f"proceso {primera.pid}" in segunda.stderr and "se espera" in segunda.stderr
    assert (tmp_path / "a.csv").read_bytes() == b"segunda"
    assert (tmp_path / CERROJO).read_text() == ""


def test_escribir_archivo_nuevo_crea_y_nunca_reemplaza(tmp_path):
    from analisis.escritura import escribir_archivo_nuevo

    ruta = tmp_path / "sub" / "valoraciones.csv"
    escribir_archivo_nuevo(ruta, b"primera\n")
    assert ruta.read_bytes() == b"primera\n"
    with pytest.raises(FileExistsError):
        escribir_archivo_nuevo(ruta, b"segunda\n")
    assert ruta.read_bytes() == b"primera\n"
    # Ni el intento fallido ni el logrado dejan temporales.
    assert sorted(p.name for p in ruta.parent.iterdir()) == ["valoraciones.csv"]
