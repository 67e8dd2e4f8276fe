"""Precarga del servidor de procesos: lo que calienta funciona de verdad (un fallo ahí sería silencioso)."""

from __future__ import annotations


def test_calentar_exporta_y_maqueta_la_muestra(python_nuevo):
    # La precarga calla sus errores (el trabajo real da el suyo); aquí se llama
    # sin red: si la muestra dejara de maquetarse, la precarga ya no ahorraría nada.
    codigo = (
        "import sys\n"
        "from analisis.informe import precarga, html\n"
        "precarga._calentar()\n"
        "print(html._exportador.cache_info().currsize, 'weasyprint' in sys.modules, 'pandas' in sys.modules)\n"
    )
    assert python_nuevo(codigo).split() == ["1", "True", "False"]
