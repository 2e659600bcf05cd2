"""The path converter of registration tokens: secrets.token_urlsafe(32) is 43 characters of the URL-safe base64
alphabet. Anything else (a NUL byte, a newline, a Unicode trick, a longer string) does not match the route, so it
answers 404 before any database query: PostgreSQL refuses NUL bytes with an error, which used to surface as a 500."""


class TokenConverter:
    regex = "[A-Za-z0-9_-]{43}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
