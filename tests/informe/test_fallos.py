"""Inyección de fallos en «analisis informe»: SIGKILL en momentos al azar (semilla fija).

Tras cada muerte, la carpeta del periodo es la del informe anterior o la del
nuevo, completa (nunca una mezcla ni una carpeta ausente); ningún proceso de
trabajo ni núcleo sobrevive más de 10 s; y la siguiente ejecución termina el
trabajo y deja exactamente lo que deja una ejecución limpia.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ANALISIS = str(Path(sys.executable).with_name("analisis"))


def _informe(salida: Path, *extra: str) -> list[str]:
    return [ANALISIS, "informe", "--periodo", "2025-T1", "--salida", str(salida), *extra]


def _contenido(carpeta: Path) -> dict[str, bytes]:
    """Lo que ve quien abre la carpeta del periodo (sin los archivos ocultos de analisis)."""
    return {
        p.relative_to(carpeta).as_posix(): p.read_bytes()
        for p in sorted(carpeta.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _descendientes(pid: int) -> set[int]:
    hijos: dict[int, list[int]] = {}
    for entrada in Path("/proc").iterdir():
        if entrada.name.isdigit():
            try:
                ppid = int((entrada / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            hijos.setdefault(ppid, []).append(int(entrada.name))
    encontrados, pendientes = set(), [pid]
    while pendientes:
        for hijo in hijos.get(pendientes.pop(), []):
            encontrados.add(hijo)
            pendientes.append(hijo)
    return encontrados


def test_sigkill_en_momentos_al_azar(tmp_path, vivo):
    limpio, salida = tmp_path / "limpio", tmp_path / "salida"
    subprocess.run(_informe(limpio), check=True, capture_output=True, timeout=600)
    # El «informe anterior» de la carpeta que se va a matar es otro (criterio distinto).
    subprocess.run(_informe(salida, "--criterio", "maximo"), check=True, capture_output=True, timeout=600)
    anterior, nuevo = _contenido(salida / "2025-T1"), _contenido(limpio / "2025-T1")
    assert anterior != nuevo

    azar = random.Random(20251130)
    for _ in range(3):
        proceso = subprocess.Popen(_informe(salida), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(azar.uniform(0.5, 8.0))
        arbol = _descendientes(proceso.pid)
        proceso.send_signal(signal.SIGKILL)
        proceso.wait()
        limite = time.monotonic() + 10
        while any(vivo(p) for p in arbol) and time.monotonic() < limite:
            time.sleep(0.2)
        assert not [p for p in arbol if vivo(p)], "procesos de trabajo o núcleos sobrevivieron a la muerte del principal"
        assert _contenido(salida / "2025-T1") in (anterior, nuevo)
        if _contenido(salida / "2025-T1") == nuevo:
            break

    subprocess.run(_informe(salida), check=True, capture_output=True, timeout=600)
    assert _contenido(salida / "2025-T1") == nuevo
    assert (salida / "index.html").read_bytes() == (limpio / "index.html").read_bytes()
    assert not list(salida.glob(".analisis-tmp-*"))
