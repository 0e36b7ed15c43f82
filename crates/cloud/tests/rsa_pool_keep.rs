//! A host may keep the RSA pool's next key across page loads and give it back.

use cloud::World;

#[test]
fn the_next_rsa_key_can_be_kept_and_given_back_but_only_as_a_key_of_its_size() {
    let world = World::new(5, 1_795_377_600_000);
    let id = world.rsa_pool_next_id(2048).expect("an RSA size");
    let (named, der) = world.rsa_pool_next_key(2048).expect("a key");
    assert_eq!(id, named);
    assert_eq!(id.len(), 64, "hex of a 32-byte seed");
    // The same world computes the same key: the id names it.
    let again = World::new(5, 1_795_377_600_000);
    assert_eq!(again.rsa_pool_next_id(2048).as_deref(), Some(id.as_str()));
    assert!(again.offer_rsa_pool_key(2048, &der));
    assert_eq!(
        again.rsa_pool_next_key(2048).map(|(_, d)| d),
        Some(der.clone())
    );
    // Not a key, or a key of another size, or a size the pool does not hold: refused.
    assert!(!again.offer_rsa_pool_key(2048, b"not a key"));
    assert!(!again.offer_rsa_pool_key(3072, &der));
    assert!(!again.offer_rsa_pool_key(1024, &der));
    assert!(again.rsa_pool_next_id(1024).is_none());
}
