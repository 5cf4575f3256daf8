// RUN: %check_kmark %s 'kmark-*' %t --no-compile -- %kernel_flags
// A TU that does not compile gets the compiler's error and no crash.
#include <net/sock.h>

int reader(struct sock *sk)
{
	return READ_ONCE(sk->sk_err) + sk->no_such_field;
	// CHECK-MESSAGES: :[[@LINE-1]]:37: error: no member named 'no_such_field' in 'struct sock' [clang-diagnostic-error]
}

void writer(struct sock *sk)
{
	sk->sk_err = undeclared;
	// CHECK-MESSAGES: :[[@LINE-1]]:15: error: use of undeclared identifier 'undeclared' [clang-diagnostic-error]
}
