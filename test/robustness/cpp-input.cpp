// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=low -- -std=c++17 -nostdinc
// C++ is not kmark's language, but it must not crash clang-tidy: classes,
// templates, lambdas, methods and a race that is found like in C.
#define READ_ONCE(x) (*(const volatile decltype(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile decltype(x) *)&(x) = (v))

struct Counter {
  int value;
  int get() const { return READ_ONCE(value); }
  void set(int v) { value = v; }
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: plain store to 'Counter::value' races with lockless reader Counter::get() (confidence: low, {{[0-9]+}}) [kmark-missing-write-once]
  // CHECK-FIXES: void set(int v) { WRITE_ONCE(value, v); }
};

template <typename T> struct Box {
  T item;
  T take() { return item; }
  void put(T v) { item = v; }
};

int use(Box<int> &b, Counter &c) {
  auto f = [&](int x) { c.set(x); return b.take(); };
  b.put(3);
  return f(1);
}
