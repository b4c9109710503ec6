using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// Reads the pickle numpy writes for a 1-D object array whose elements are lists of ints (how imdb.npz stores its
/// reviews), pickle protocols 2 to 5, from Python 2 or 3 and numpy 1.x or 2.x. Unlike Python's unpickler it runs
/// nothing: it knows only the opcodes such a pickle uses, accepts only numpy's array-reconstruction globals, and
/// "calls" them by building plain values. Anything else is rejected with <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class NumpyObjectArrayUnpickler
{
    private const int HighestProtocol = 5;

    // numpy memoizes each review's list once (25,000 per split in Keras' imdb.npz) and a few objects besides.
    private const int MaxMemo = 1 << 20;

    // One list per review (25,000 per split in Keras' imdb.npz), a few tuples and strings, and the word ranks past
    // SmallIntegers (none in Keras' file).
    private const int MaxObjects = 1 << 18;

    // Word ranks repeat millions of times in the real imdb.npz (25,000 reviews x ~240 words per split); sharing
    // the boxes of small values keeps the unpickled lists from allocating one object per word.
    private static readonly object[] SmallIntegers = Enumerable.Range(0, 1 << 17).Select(i => (object)(long)i).ToArray();

    private readonly byte[] _data;
    private readonly int _start;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private readonly long _maxPushes;
    private int _position;
    private long _pushes;
    private int _objects;

    private NumpyObjectArrayUnpickler(byte[] data, int start)
    {
        _data = data;
        _start = start;
        _position = start;
        _maxPushes = ((data.Length - start) / 2) + 64;
    }

    private enum NumpyGlobal
    {
        Reconstruct,
        NdArray,
        Dtype,
        CodecsEncode,
    }

    /// <summary>The array's elements, each a list of ints (values past int range saturate: no vocabulary is that big).</summary>
    public static IReadOnlyList<int[]> Unpickle(byte[] data, int start) =>
        ToIntLists(new NumpyObjectArrayUnpickler(data, start).Run(), maxWords: (data.Length - start) / 2);

    private object? Run()
    {
        while (true)
        {
            var at = _position - _start;
            var opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: // PROTO
                    var protocol = ReadByte();
                    if (protocol > HighestProtocol)
                    {
                        throw new InvalidDataException($"pickle protocol {protocol} is newer than {HighestProtocol}");
                    }

                    break;
                case 0x95: // FRAME: frames only group bytes for buffering; their contents follow in place.
                    Take(8);
                    break;
                case 0x2e: // STOP
                    return Pop();
                case 0x28: // MARK
                    _marks.Push(_stack.Count);
                    break;
                case 0x4e: // NONE
                    Push(null);
                    break;
                case 0x88: // NEWTRUE
                    Push(true);
                    break;
                case 0x89: // NEWFALSE
                    Push(false);
                    break;
                case 0x4a: // BININT
                    PushInteger(BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                    break;
                case 0x4b: // BININT1
                    PushInteger(ReadByte());
                    break;
                case 0x4d: // BININT2
                    PushInteger(BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                    break;
                case 0x8a: // LONG1
                    PushInteger(LittleEndianTwosComplement(Take(ReadByte())));
                    break;
                case 0x58: // BINUNICODE
                    PushNew(Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    PushNew(Encoding.UTF8.GetString(Take(ReadByte())));
                    break;
                case 0x8d: // BINUNICODE8
                    PushNew(Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)))));
                    break;
                case 0x43: // SHORT_BINBYTES
                    PushNew(Take(ReadByte()).ToArray());
                    break;
                case 0x42: // BINBYTES
                    PushNew(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))).ToArray());
                    break;
                case 0x55: // SHORT_BINSTRING (Python 2 str)
                    PushNew(Encoding.Latin1.GetString(Take(ReadByte())));
                    break;
                case 0x54: // BINSTRING (Python 2 str)
                    var length = BinaryPrimitives.ReadInt32LittleEndian(Take(4));
                    PushNew(Encoding.Latin1.GetString(Take(length >= 0 ? (ulong)length : throw new InvalidDataException($"BINSTRING at byte {at} has a negative length"))));
                    break;
                case 0x29: // EMPTY_TUPLE
                    Push(Array.Empty<object?>());
                    break;
                case 0x74: // TUPLE
                    PushNew(PopToMark().ToArray());
                    break;
                case 0x85: // TUPLE1
                case 0x86: // TUPLE2
                case 0x87: // TUPLE3
                    PushNew(PopItems(opcode - 0x84));
                    break;
                case 0x5d: // EMPTY_LIST
                    PushNew(new List<object?>());
                    break;
                case 0x6c: // LIST
                    PushNew(PopToMark());
                    break;
                case 0x61: // APPEND
                    var item = Pop();
                    TopList().Add(item);
                    break;
                case 0x65: // APPENDS
                    var items = PopToMark();
                    TopList().AddRange(items);
                    break;
                case 0x63: // GLOBAL
                    var module = ReadLine();
                    PushNew(Resolve(module, ReadLine()));
                    break;
                case 0x93: // STACK_GLOBAL
                    var name = Pop() as string;
                    PushNew(Resolve(Pop() as string, name));
                    break;
                case 0x52: // REDUCE
                    var arguments = Pop() as object?[] ?? throw new InvalidDataException($"REDUCE at byte {at} has no argument tuple");
                    PushNew(Call(Pop(), arguments));
                    break;
                case 0x62: // BUILD
                    var state = Pop();
                    Build(Peek(), state);
                    break;
                case 0x71: // BINPUT
                    Memoize(ReadByte());
                    break;
                case 0x72: // LONG_BINPUT
                    Memoize(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)));
                    break;
                case 0x94: // MEMOIZE
                    Memoize(_memo.Count);
                    break;
                case 0x68: // BINGET
                    Push(Recall(ReadByte()));
                    break;
                case 0x6a: // LONG_BINGET
                    Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))));
                    break;
                default:
                    throw new InvalidDataException($"unsupported pickle opcode 0x{opcode:x2} at byte {at} of the pickle");
            }
        }
    }

    // numpy 1.x names numpy.core.multiarray, numpy 2.x numpy._core.multiarray.
    private static NumpyGlobal Resolve(string? module, string? name) => (module, name) switch
    {
        ("numpy.core.multiarray" or "numpy._core.multiarray" or "numpy", "_reconstruct") => NumpyGlobal.Reconstruct,
        ("numpy.core.multiarray" or "numpy._core.multiarray" or "numpy", "ndarray") => NumpyGlobal.NdArray,
        ("numpy.core.multiarray" or "numpy._core.multiarray" or "numpy", "dtype") => NumpyGlobal.Dtype,

        // Python 3 writes bytes as _codecs.encode(text, 'latin1') under protocol 2.
        ("_codecs", "encode") => NumpyGlobal.CodecsEncode,
        _ => throw new InvalidDataException(
            $"pickle global '{module}.{name}' is not allowed: only numpy's array reconstruction " +
            "(numpy.core.multiarray._reconstruct, numpy.ndarray, numpy.dtype) is read, and nothing is ever run"),
    };

    private static object Call(object? callable, object?[] arguments) => (callable, arguments) switch
    {
        (NumpyGlobal.Reconstruct, [NumpyGlobal.NdArray, ..]) => new PickledArray(),
        (NumpyGlobal.Dtype, [string typeCode, ..]) => new PickledDtype(typeCode),
        (NumpyGlobal.CodecsEncode, [string text, "latin1" or "latin-1"]) => Encoding.Latin1.GetBytes(text),
        _ => throw new InvalidDataException($"pickle calls {Describe(callable)} in a way numpy's array pickles never do"),
    };

    private static void Build(object? target, object? state)
    {
        switch (target)
        {
            case PickledDtype:
                break; // The dtype's state (byte order, flags) adds nothing once we know it is 'O'.
            case PickledArray array when state is object?[] { Length: 5 } fields:
                array.Shape = fields[1] as object?[];
                array.Dtype = fields[2] as PickledDtype;
                array.Items = fields[4];
                break;
            default:
                throw new InvalidDataException($"pickle sets the state of {Describe(target)}, which numpy's array pickles never do");
        }
    }

    // Every int opcode takes at least 2 bytes, so a pickle of N bytes holds at most N/2 words unless its elements
    // share lists through memo references; materialising those could turn kilobytes into gigabytes.
    private static IReadOnlyList<int[]> ToIntLists(object? result, long maxWords)
    {
        if (result is not PickledArray { Dtype.TypeCode: ['O', ..], Items: List<object?> items, Shape: [long length] }
            || length != items.Count)
        {
            throw new InvalidDataException($"the pickle holds {Describe(result)}, not a 1-D numpy object array");
        }

        var lists = new int[items.Count][];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not List<object?> words)
            {
                throw new InvalidDataException($"array element {i} is {Describe(items[i])}, not a list of ints");
            }

            maxWords -= words.Count;
            if (maxWords < 0)
            {
                throw new InvalidDataException(
                    $"array element {i} brings the words to more than a pickle of its size can hold: its elements share lists through memo references");
            }

            lists[i] = new int[words.Count];
            for (var w = 0; w < words.Count; w++)
            {
                lists[i][w] = words[w] switch
                {
                    long value when value < 0 => throw new InvalidDataException($"array element {i} holds the negative word rank {value}"),
                    long value => (int)Math.Min(value, int.MaxValue),
                    var other => throw new InvalidDataException($"array element {i} holds {Describe(other)}, not an int"),
                };
            }
        }

        return lists;
    }

    private void PushInteger(long value)
    {
        if (value >= 0 && value < SmallIntegers.Length)
        {
            Push(SmallIntegers[value]);
        }
        else
        {
            PushNew(value);
        }
    }

    private static long LittleEndianTwosComplement(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8)
        {
            throw new InvalidDataException($"a {bytes.Length}-byte integer is too large for a word rank");
        }

        if (bytes.IsEmpty)
        {
            return 0;
        }

        // Sign-extend from the top byte, then fill in the rest.
        long value = (sbyte)bytes[^1];
        for (var i = bytes.Length - 2; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        NumpyGlobal global => $"the global {global}",
        List<object?> list => $"a list of {list.Count}",
        object?[] tuple => $"a tuple of {tuple.Length}",
        _ => $"a {value.GetType().Name}",
    };

    private byte ReadByte() => Take(1)[0];

    private ReadOnlySpan<byte> Take(ulong count)
    {
        if ((ulong)(_data.Length - _position) < count)
        {
            throw new InvalidDataException("the pickle ends early (the file is truncated)");
        }

        var span = _data.AsSpan(_position, (int)count);
        _position += (int)count;
        return span;
    }

    private string ReadLine()
    {
        var end = _data.AsSpan(_position).IndexOf((byte)'\n');
        if (end < 0)
        {
            throw new InvalidDataException("the pickle ends early (the file is truncated)");
        }

        var line = Encoding.UTF8.GetString(Take((ulong)end));
        _position++;
        return line;
    }

    // Every value pushed costs at least 2 bytes of a pickle numpy writes (a word is BININT1 and up, a review's list
    // EMPTY_LIST and a memo put), and it has few other objects: a pickle that pushes more, or creates more, is
    // built to expand a small file into gigabytes of references and empty lists.
    private void Push(object? value)
    {
        if (++_pushes > _maxPushes)
        {
            throw new InvalidDataException($"the pickle pushes more than {_maxPushes} values, more than a pickle of its size holds");
        }

        _stack.Add(value);
    }

    // A value made here rather than shared (a list, a tuple, a string, a large int).
    private void PushNew(object value)
    {
        if (++_objects > MaxObjects)
        {
            throw new InvalidDataException($"the pickle creates more than {MaxObjects} lists, tuples and other objects");
        }

        Push(value);
    }

    private object? Peek() =>
        _stack.Count > (_marks.Count > 0 ? _marks.Peek() : 0)
            ? _stack[^1]
            : throw new InvalidDataException("the pickle reads past the bottom of its stack");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopItems(int count)
    {
        var floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count - floor < count)
        {
            throw new InvalidDataException("the pickle reads past the bottom of its stack");
        }

        var items = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return items;
    }

    private List<object?> PopToMark()
    {
        if (!_marks.TryPop(out var mark))
        {
            throw new InvalidDataException("the pickle collects items without a MARK");
        }

        var items = new List<object?>(_stack.Count - mark);
        items.AddRange(CollectionsMarshal.AsSpan(_stack)[mark..]);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private List<object?> TopList() =>
        Peek() as List<object?> ?? throw new InvalidDataException($"the pickle appends to {Describe(Peek())}, not a list");

    private void Memoize(long index)
    {
        if (_memo.Count >= MaxMemo && !_memo.ContainsKey(index))
        {
            throw new InvalidDataException($"the pickle memoizes more than {MaxMemo} objects");
        }

        _memo[index] = Peek();
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw new InvalidDataException($"the pickle recalls memo {index}, which was never stored");

    private sealed record PickledDtype(string TypeCode);

    private sealed class PickledArray
    {
        public object?[]? Shape { get; set; }

        public PickledDtype? Dtype { get; set; }

        public object? Items { get; set; }
    }
}
