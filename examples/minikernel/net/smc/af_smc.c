// SPDX-License-Identifier: GPL-2.0
/* SMC's connect worker and poll, written for kmark after the shapes of
 * net/smc/af_smc.c in Linux 6.12, where KCSAN reported
 * "data-race in smc_connect_work / smc_poll". */
#include <net/sock.h>

struct smc_sock {
	struct sock sk;
	struct socket *clcsock;
	struct work_struct connect_work;
	int use_fallback;
};

#define smc_sk(ptr) container_of(ptr, struct smc_sock, sk)

static void smc_connect_work(struct work_struct *work)
{
	struct smc_sock *smc = container_of(work, struct smc_sock, connect_work);

	lock_sock(&smc->sk);
	if (smc->clcsock->sk->sk_err) {
		smc->sk.sk_err = smc->clcsock->sk->sk_err;
		// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: plain store to 'sock::sk_err' races with lockless reader smc_poll(); tcp_poll() reads it with READ_ONCE() (confidence: medium, {{[0-9]+}}) [kmark-missing-write-once]
		// CHECK-MESSAGES: :[[@LINE+25]]:13: note: smc_poll() reads it without a lock here, on an object of this kind (smc_sock)
		// CHECK-MESSAGES: net/ipv4/tcp.c:22:16: note: tcp_poll() reads 'sk->sk_err' with READ_ONCE(), on an object of no known kind
		// CHECK-FIXES: WRITE_ONCE(smc->sk.sk_err, smc->clcsock->sk->sk_err);
	}
	release_sock(&smc->sk);
}

static __poll_t smc_poll(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct smc_sock *smc = smc_sk(sk);
	__poll_t mask = 0;

	if (smc->use_fallback) {
		/* The state of the internal TCP socket, copied over. */
		sk->sk_err = smc->clcsock->sk->sk_err;
		// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: plain store to 'sock::sk_err' races with lockless reader smc_poll(); tcp_poll() reads it with READ_ONCE() (confidence: medium, {{[0-9]+}}) [kmark-missing-write-once]
		// CHECK-MESSAGES: :[[@LINE+8]]:13: note: smc_poll() reads it without a lock here, on an object of this kind (smc_sock)
		// CHECK-MESSAGES: net/ipv4/tcp.c:22:16: note: tcp_poll() reads 'sk->sk_err' with READ_ONCE(), on an object of no known kind
		// CHECK-MESSAGES: :[[@LINE-4]]:16: warning: plain load of 'sock::sk_err' races with tcp_done_with_error(), which writes it with WRITE_ONCE(); tcp_poll(), also 'proto_ops.poll', reads it with READ_ONCE() (confidence: high, {{[0-9]+}}) [kmark-missing-read-once]
		// CHECK-MESSAGES: net/ipv4/tcp_input.c:8:13: note: tcp_done_with_error() writes 'sk->sk_err' with WRITE_ONCE(), on an object of no known kind
		// CHECK-MESSAGES: net/ipv4/tcp.c:22:16: note: tcp_poll(), also 'proto_ops.poll' of 'inet_stream_ops', reads it with READ_ONCE()
		// CHECK-MESSAGES: :[[@LINE+23]]:10: note: smc_poll() is 'proto_ops.poll' of 'smc_sock_ops', which runs without the writers' lock
		/* One fix-it for both: the store and the load in its value. */
		// CHECK-FIXES: WRITE_ONCE(sk->sk_err, READ_ONCE(smc->clcsock->sk->sk_err));
	} else if (sk->sk_err) {
		// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: plain load of 'sock::sk_err' races with smc_connect_work(), which writes it plainly; tcp_poll(), also 'proto_ops.poll', reads it with READ_ONCE() (confidence: high, {{[0-9]+}}) [kmark-missing-read-once]
		// CHECK-MESSAGES: note: smc_connect_work() writes 'smc->sk.sk_err' plainly, on an object of this kind (smc_sock)
		// CHECK-MESSAGES: note: tcp_poll(), also 'proto_ops.poll' of 'inet_stream_ops', reads it with READ_ONCE()
		// CHECK-MESSAGES: note: smc_poll() is 'proto_ops.poll' of 'smc_sock_ops', which runs without the writers' lock
		// CHECK-FIXES: } else if (READ_ONCE(sk->sk_err)) {
		mask |= 8;
	}
	return mask;
}

static int smc_connect(struct socket *sock, struct sockaddr *addr, int alen)
{
	struct smc_sock *smc = smc_sk(sock->sk);

	INIT_WORK(&smc->connect_work, smc_connect_work);
	return 0;
}

const struct proto_ops smc_sock_ops = {
	.poll = smc_poll,
	.connect = smc_connect,
};
