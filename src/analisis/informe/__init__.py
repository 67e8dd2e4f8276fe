"""Informes: parámetros, ejecución de cuadernos, gráficos, HTML, PDF e índice."""

import sys

# nbformat valida cada cuaderno con jsonschema, y jsonschema, al importarse,
# carga rfc3987_syntax (si está instalado) para comprobar direcciones IRI: arma
# una gramática Lark que cuesta cerca de 1 s en cada proceso del informe. Los
# cuadernos no tienen campos con ese formato, así que se declara el módulo
# ausente (el valor None en sys.modules hace que su importación falle) y
# jsonschema sigue sin ese comprobador. Solo si nadie lo importó antes.
sys.modules.setdefault("rfc3987_syntax", None)
