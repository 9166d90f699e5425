"""The bottom layer: helpers every app may use (markup, images, rate limits, the page cache, money,
role checks, the personal-data registry, request guards). No models; imports no app of the studio."""
