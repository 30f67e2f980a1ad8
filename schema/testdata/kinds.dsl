// Every kind of type the engine decodes, for the engine tests.
protocol kinds {
    title     "All kinds"
    transport udp
    endian    big
    message   All
}

enum Color : u8 {
    red   = 1 "Red"
    green = 2 "Green"
}

enum Wide : s16le {
    neg = -2  "Minus two"
    pos = 300
}

struct All [summary = "a={a} s={s} w={w} v={v} t={t}"] {
    a u8     [base = bin]
    b u16
    c u16le
    d u24
    e u24le
    f u32    [base = hex]
    g u32le
    h u64    [base = hex]
    i u64le
    j s8
    k s16    [base = hex]
    l s16le
    m s24
    n s32le
    o i64
    p f32
    q f64le
    r bool
    s Color
    t Color  [base = hex]
    u Wide
    v [2]byte
    w Pair
    x [2]Pair
    y []u16
}

struct Pair [summary = "{lo}/{hi}"] {
    lo u8
    hi u8
}
