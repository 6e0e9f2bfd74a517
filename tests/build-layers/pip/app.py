from hello import greet

print(greet("layers"))
