"""Informes: parámetros, ejecución de cuadernos, gráficos, HTML, PDF e índice."""
