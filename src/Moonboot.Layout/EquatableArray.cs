using System;
using System.Collections;
using System.Collections.Generic;

namespace Moonboot.Layout
{
    /// <summary>
    /// An immutable array with value equality, so pipeline models that hold lists still compare by content
    /// (ImmutableArray compares by reference and would defeat the generator's cache).
    /// </summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        public static readonly EquatableArray<T> Empty = new(Array.Empty<T>());

        private readonly T[]? _items;

        public EquatableArray(T[] items) { _items = items; }

        public EquatableArray(IEnumerable<T> items) { _items = new List<T>(items).ToArray(); }

        private T[] Items => _items ?? Array.Empty<T>();

        public int Count => Items.Length;

        public T this[int index] => Items[index];

        public bool Equals(EquatableArray<T> other)
        {
            T[] a = Items, b = other.Items;
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(a[i], b[i])) return false;
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                int h = 17;
                foreach (var item in Items) h = h * 31 + (item is null ? 0 : item.GetHashCode());
                return h;
            }
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
    }
}
