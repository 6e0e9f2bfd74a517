from hello import GREETING

print(GREETING)
