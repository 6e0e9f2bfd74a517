# Loads the OpenMP runtime, which only the full image has (gcc brings it).
import ctypes

ctypes.CDLL("libgomp.so.1")
print("libgomp loaded")
